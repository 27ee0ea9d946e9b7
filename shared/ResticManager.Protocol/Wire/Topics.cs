namespace ResticManager.Protocol;

/// <summary>
/// The topic map. Every agent owns exactly one prefix, <c>rm/v1/agents/{agentId}/</c>; agent-to-server
/// messages live under <c>…/evt/{type}</c> (plus the retained <c>…/status</c>), server-to-agent ones
/// under <c>…/cmd/{type}</c>.
/// </summary>
public static class Topics
{
    public const string Root = "rm/v1/agents/";

    public static string AgentPrefix(string agentId) => Root + agentId + "/";

    /// <summary>Retained presence: online at connect, offline by Last Will.</summary>
    public static string Status(string agentId) => AgentPrefix(agentId) + "status";

    public static string Event(string agentId, string messageType) => AgentPrefix(agentId) + "evt/" + messageType;

    public static string Command(string agentId, string messageType) => AgentPrefix(agentId) + "cmd/" + messageType;

    /// <summary>
    /// Where an agent answers a query of requester <paramref name="requesterId"/>: under the agent's
    /// own prefix, so the agent's ACL needs no exception and a requester can tell which agent answered.
    /// </summary>
    public static string Reply(string agentId, string requesterId) => AgentPrefix(agentId) + "reply/" + requesterId;

    /// <summary>What a requester subscribes to for the answers of every agent.</summary>
    public static string ReplyFilter(string requesterId) => Root + "+/reply/" + requesterId;

    /// <summary>True when <paramref name="topic"/> is a reply topic under <paramref name="agentId"/>'s own prefix.</summary>
    public static bool IsReplyOf(string agentId, string topic) =>
        topic.StartsWith(AgentPrefix(agentId) + "reply/", StringComparison.Ordinal) && topic.Length > AgentPrefix(agentId).Length + 6 && topic.IndexOfAny(['+', '#'], Root.Length) < 0;

    /// <summary>What an agent subscribes to for every server-to-agent message.</summary>
    public static string CommandFilter(string agentId) => AgentPrefix(agentId) + "cmd/#";

    /// <summary>
    /// The topic ACL: an agent may publish to and subscribe under its own prefix only. The prefix
    /// includes the trailing slash, so agent <c>a1</c> never matches <c>a10</c>'s topics; filters with
    /// wildcards are fine as long as they start with the literal prefix, because a wildcard can then
    /// only widen the match inside the agent's own subtree.
    /// </summary>
    public static bool IsAllowedForAgent(string agentId, string topicOrFilter)
    {
        if (!AgentIdentity.IsValid(agentId) || string.IsNullOrEmpty(topicOrFilter))
        {
            return false;
        }

        var prefix = AgentPrefix(agentId);
        return topicOrFilter.Length > prefix.Length && topicOrFilter.StartsWith(prefix, StringComparison.Ordinal);
    }

    /// <summary>Splits an agent topic into its agent id and the part after the prefix.</summary>
    public static bool TryParse(string topic, out string agentId, out string rest)
    {
        agentId = string.Empty;
        rest = string.Empty;
        if (!topic.StartsWith(Root, StringComparison.Ordinal))
        {
            return false;
        }

        var afterRoot = topic.AsSpan(Root.Length);
        var slash = afterRoot.IndexOf('/');
        if (slash <= 0)
        {
            return false;
        }

        agentId = afterRoot[..slash].ToString();
        rest = afterRoot[(slash + 1)..].ToString();
        return AgentIdentity.IsValid(agentId) && rest.Length > 0;
    }
}
