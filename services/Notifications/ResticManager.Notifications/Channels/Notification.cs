namespace ResticManager.Notifications;

/// <summary>
/// What a channel sends: one alert or recovery, or a digest of many (<see cref="Items"/>). <see cref="Id"/>
/// is the delivery's id, the same on every retry, so a receiver can drop a repeat.
/// </summary>
public sealed record Notification(
    string Id,
    string Title,
    string Text,
    NotificationSeverity Severity,
    IReadOnlyList<NotificationItem> Items,
    DateTimeOffset CreatedAt,
    string? Link = null);
