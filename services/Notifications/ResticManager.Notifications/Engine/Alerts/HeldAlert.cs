namespace ResticManager.Notifications;

/// <summary>
/// A host alert held back by its rule's <c>minDuration</c>: written when the host went down, deleted when it
/// comes back before <see cref="DueAt"/> (no alert, no recovery), turned into the alert when still here at
/// <see cref="DueAt"/>. A row, not a timer, so a restart in between changes nothing.
/// </summary>
public sealed class HeldAlert
{
    public required string RuleId { get; init; }
    public required string Key { get; init; }
    public required string HostId { get; init; }
    public NotificationEvent Event { get; set; }

    /// <summary>The <see cref="NotificationItem"/> to send at <see cref="DueAt"/>, as JSON.</summary>
    public required string ItemJson { get; set; }
    public DateTime DueAt { get; init; }
}
