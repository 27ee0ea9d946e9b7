namespace ResticManager.Protocol;

/// <summary>
/// Services that ask agents questions (see <see cref="AgentQueries"/>) connect to the broker as MQTT
/// clients of their own kind: username <see cref="Username"/> and a client id starting with
/// <see cref="ClientIdPrefix"/>. Neither can ever be an agent id (<see cref="AgentIdentity"/> has no
/// <c>$</c>), so an agent can never pass for a service, nor a service for an agent. Their topic ACL:
/// subscribe only to their own replies and to the agents' retained status, publish only queries (never
/// retained) and the fleet stream (<see cref="FleetTopics"/>, retained or not).
/// </summary>
public static class ServiceClients
{
    public const string Username = "$service";
    public const string ClientIdPrefix = "$svc-";
    public const int MaxClientIdLength = 96;

    static readonly string StatusFilter = Topics.Root + "+/status";

    static readonly HashSet<string> QueryTypes = new(StringComparer.Ordinal)
    {
        MessageTypes.QueryTree, MessageTypes.QueryFind, MessageTypes.QueryDiff, MessageTypes.QueryDump, MessageTypes.QueryCredit, MessageTypes.QueryCancel,
    };

    /// <summary>A fresh client id for one process of <paramref name="service"/> (a lowercase name).</summary>
    public static string NewClientId(string service) => ClientIdPrefix + service + "-" + Guid.NewGuid().ToString("N");

    /// <summary>True for <c>$svc-</c> followed by lowercase letters, digits, <c>-</c> and <c>_</c>: no wildcard, no level separator.</summary>
    public static bool IsServiceClientId(string? clientId)
    {
        if (clientId is null || clientId.Length <= ClientIdPrefix.Length || clientId.Length > MaxClientIdLength
            || !clientId.StartsWith(ClientIdPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in clientId.AsSpan(ClientIdPrefix.Length))
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The two filters a service client may subscribe to: its own replies from every agent, and every agent's status.</summary>
    public static bool MaySubscribe(string clientId, string topicFilter) =>
        IsServiceClientId(clientId)
        && (string.Equals(topicFilter, Topics.ReplyFilter(clientId), StringComparison.Ordinal) || string.Equals(topicFilter, StatusFilter, StringComparison.Ordinal));

    /// <summary>
    /// A service client publishes queries (and their credits and cancels) to a valid agent's command topic, never
    /// retained since a query may name paths an operator looked for; and the fleet stream, whose host state and
    /// discovery configs are retained by design (they hold no secret).
    /// </summary>
    public static bool MayPublish(string clientId, string topic, bool retain, string discoveryPrefix) =>
        IsServiceClientId(clientId)
        && (FleetTopics.IsInStream(topic, discoveryPrefix) && topic.IndexOfAny(['+', '#']) < 0 || !retain && MayPublish(clientId, topic));

    /// <summary>A query (or its credit or cancel) to a valid agent's command topic.</summary>
    public static bool MayPublish(string clientId, string topic) =>
        IsServiceClientId(clientId)
        && Topics.TryParse(topic, out _, out var rest)
        && rest.StartsWith("cmd/", StringComparison.Ordinal)
        && QueryTypes.Contains(rest["cmd/".Length..]);
}
