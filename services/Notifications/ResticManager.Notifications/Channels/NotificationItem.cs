namespace ResticManager.Notifications;

/// <summary>One event a notification reports: what happened, to which host and group, and where to look.</summary>
public sealed record NotificationItem(
    NotificationEvent Event,
    string Summary,
    DateTimeOffset At,
    string? HostId = null,
    string? Hostname = null,
    string? SourceGroupId = null,
    string? SourceGroupName = null,
    string? JobId = null,
    string? Error = null,
    bool Recovery = false,
    string? Link = null);
