namespace ResticManager.Protocol;

/// <summary>
/// The read-only fleet stream (issue 13): retained host state under <see cref="Root"/>, written only by the
/// notifications service, and Home Assistant discovery configs under a discovery prefix (<c>homeassistant</c>
/// by default). Both trees are apart from <see cref="Topics.Root"/>, so nothing here is an agent's topic.
/// </summary>
public static class FleetTopics
{
    public const string Root = "rm/v1/fleet/";
    public const string DefaultDiscoveryPrefix = "homeassistant";
    public const int MaxDiscoveryPrefixLength = 64;

    /// <summary>Retained JSON: presence and last backup of one host.</summary>
    public static string State(string hostId) => Root + "hosts/" + hostId + "/state";

    /// <summary>Retained <c>online</c> or <c>offline</c> (Home Assistant's availability topic).</summary>
    public static string Availability(string hostId) => Root + "hosts/" + hostId + "/availability";

    /// <summary>Not retained: one JSON message per job state change of the host.</summary>
    public static string Jobs(string hostId) => Root + "hosts/" + hostId + "/jobs";

    /// <summary>Home Assistant's discovery topic <c>&lt;prefix&gt;/&lt;component&gt;/resticmanager_&lt;hostId&gt;/&lt;objectId&gt;/config</c>.</summary>
    public static string DiscoveryConfig(string prefix, string component, string hostId, string objectId) =>
        $"{prefix}/{component}/{DeviceId(hostId)}/{objectId}/config";

    /// <summary>The Home Assistant node and device identifier of a host.</summary>
    public static string DeviceId(string hostId) => "resticmanager_" + hostId;

    /// <summary>Levels of letters, digits, <c>_</c> and <c>-</c> separated by <c>/</c>; not under <c>rm/</c> nor <c>$</c>.</summary>
    public static bool IsValidDiscoveryPrefix(string? prefix)
    {
        if (string.IsNullOrEmpty(prefix) || prefix.Length > MaxDiscoveryPrefixLength || prefix[0] == '/' || prefix[^1] == '/'
            || prefix.Contains("//", StringComparison.Ordinal) || prefix == "rm" || prefix.StartsWith("rm/", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in prefix)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' or '-' or '/'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// True for a topic or filter strictly inside the fleet tree or the discovery tree. A filter that starts with
    /// the literal prefix can only widen the match inside that tree (the same argument as <see cref="Topics.IsAllowedForAgent"/>);
    /// <c>#</c>, <c>+/…</c> and <c>$share/…</c> do not start with it.
    /// </summary>
    public static bool IsInStream(string? topicOrFilter, string discoveryPrefix) =>
        !string.IsNullOrEmpty(topicOrFilter)
        && (Inside(topicOrFilter, Root) || Inside(topicOrFilter, discoveryPrefix + "/"));

    static bool Inside(string topic, string prefix) => topic.Length > prefix.Length && topic.StartsWith(prefix, StringComparison.Ordinal);
}
