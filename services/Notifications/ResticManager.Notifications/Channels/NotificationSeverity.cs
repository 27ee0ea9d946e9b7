namespace ResticManager.Notifications;

public enum NotificationSeverity
{
    Info,
    Warning,
    Critical,

    /// <summary>A recovery: the condition an earlier alert reported is over.</summary>
    Resolved,
}
