using ResticManager.Protocol;

namespace ResticManager.Notifications;

/// <summary>The condition keys of <see cref="EngineSignal"/>: one place, so an alert and its recovery always meet.</summary>
public static class AlertKeys
{
    public static string Host(string hostId) => $"host:{hostId}";

    /// <summary>A job condition per source group (or, for jobs of no group, per kind): a failed backup of one group is not cured by another's success.</summary>
    public static string Job(string hostId, string? sourceGroupId, JobKind kind) =>
        $"job:{hostId}:{sourceGroupId ?? kind.ToString().ToLowerInvariant()}";

    public static string Check(string hostId) => $"check:{hostId}";

    public static string Lock(string hostId) => $"lock:{hostId}";

    public static string Group(string hostId, string sourceGroupId) => $"group:{hostId}:{sourceGroupId}";

    public static string Agent(string hostId) => $"agent:{hostId}";
}
