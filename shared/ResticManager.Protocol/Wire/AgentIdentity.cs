namespace ResticManager.Protocol;

/// <summary>
/// Agent ids double as MQTT client ids, usernames and topic segments, so they are restricted to
/// characters that can never be an MQTT wildcard, a level separator or a <c>$</c> system prefix.
/// </summary>
public static class AgentIdentity
{
    public const int MaxLength = 64;

    public static bool IsValid(string? agentId)
    {
        if (string.IsNullOrEmpty(agentId) || agentId.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in agentId)
        {
            var allowed = c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_';
            if (!allowed)
            {
                return false;
            }
        }

        return true;
    }
}
