namespace ResticManager.Protocol;

/// <summary>
/// Read-only MQTT users of the fleet stream (<c>Mqtt:Readers:N</c>): Home Assistant, a dashboard, <c>mosquitto_sub</c>.
/// A reader may subscribe only inside the fleet and discovery trees (<see cref="FleetTopics.IsInStream"/>) and
/// never publishes. Its client id can never be an agent's or a service's: otherwise it could take over that
/// session, and with it the subscriptions to commands or replies.
/// </summary>
public static class FleetReaders
{
    public const int MaxUsernameLength = 64;
    public const int MaxClientIdLength = 96;

    /// <summary>Given by the broker to a reader that connects with an empty client id (MQTT 5 assigned client identifier).</summary>
    public const string AssignedClientIdPrefix = "$reader-";

    /// <summary>
    /// Null when <paramref name="username"/> may name a reader, otherwise why not. Letters, digits, <c>.</c>,
    /// <c>_</c>, <c>-</c> (safe in mosquitto's password and ACL files); never <see cref="ServiceClients.Username"/>;
    /// never 26 lowercase letters and digits, the shape of the agent ids the inventory issues (a reader of that
    /// name would collide with an agent in mosquitto's files, where the agent pattern is keyed by username).
    /// </summary>
    public static string? UsernameProblem(string? username)
    {
        if (string.IsNullOrEmpty(username) || username.Length > MaxUsernameLength)
        {
            return $"must be 1 to {MaxUsernameLength} characters";
        }

        foreach (var c in username)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or '_' or '-'))
            {
                return "may contain only letters, digits, '.', '_' and '-'";
            }
        }

        return username.Length == 26 && AgentIdentity.IsValid(username) ? "has the form of an agent id (26 lowercase letters and digits); choose another name" : null;
    }

    /// <summary>
    /// A reader's client id: empty (the broker assigns one) or printable ASCII without wildcards and <c>/</c>, not
    /// starting with <c>$</c>, and not a possible agent id (<see cref="AgentIdentity.IsValid"/>): it needs an
    /// uppercase letter or a character such as <c>.</c> or <c>:</c>. Home Assistant's random ids (base62) qualify.
    /// </summary>
    public static bool IsValidClientId(string? clientId)
    {
        if (string.IsNullOrEmpty(clientId))
        {
            return true;
        }

        if (clientId.Length > MaxClientIdLength || clientId[0] == '$' || AgentIdentity.IsValid(clientId))
        {
            return false;
        }

        foreach (var c in clientId)
        {
            if (c is < '!' or > '~' or '+' or '#' or '/')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// True for a connected client the broker admitted as a reader: neither an agent (whose client id is a valid
    /// agent id) nor a service. Deny by default: every other client id gets the reader's rights (the broker's
    /// own injected messages are told apart before this).
    /// </summary>
    public static bool IsReader(string clientId) => !AgentIdentity.IsValid(clientId) && !ServiceClients.IsServiceClientId(clientId);

    /// <summary>Readers subscribe only inside the fleet stream and the discovery tree.</summary>
    public static bool MaySubscribe(string topicFilter, string discoveryPrefix) => FleetTopics.IsInStream(topicFilter, discoveryPrefix);
}
