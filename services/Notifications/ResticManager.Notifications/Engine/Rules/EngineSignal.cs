namespace ResticManager.Notifications;

/// <summary>
/// What one bus event means for the rules. <see cref="Key"/> names the condition (<c>host:h1</c>,
/// <c>job:h1:g1</c>, <c>check:h1</c>, <c>lock:h1</c>, <c>group:h1:g1</c>, <c>agent:h1</c>): one open alert per
/// rule and key. <see cref="Repeats"/>: every occurrence is told even while the alert is open (each failed job
/// is news; a host still offline is not). <see cref="HoldBack"/>: a rule's <c>minDuration</c> applies.
/// <see cref="ListedAs"/>: for a recovery, the event under which a rule without an open alert still hears it
/// (<c>hostBack</c>, <c>groupCaughtUp</c>, <c>jobSucceeded</c>); null when only the alert's own rule does.
/// </summary>
public sealed record EngineSignal(
    SignalKind Kind,
    string Key,
    NotificationItem Item,
    NotificationSeverity Severity,
    bool Repeats = false,
    bool HoldBack = false,
    NotificationEvent? ListedAs = null)
{
    public static EngineSignal Alert(string key, NotificationItem item, NotificationSeverity severity, bool repeats = false, bool holdBack = false) =>
        new(SignalKind.Alert, key, item, severity, repeats, holdBack);

    public static EngineSignal Recovery(string key, NotificationItem item, NotificationEvent? listedAs = null) =>
        new(SignalKind.Recovery, key, item with { Recovery = true }, NotificationSeverity.Resolved, ListedAs: listedAs);

    public static EngineSignal Info(NotificationItem item) => new(SignalKind.Info, "", item, NotificationSeverity.Info);
}
