namespace ResticManager.Notifications;

/// <summary>
/// A rule's open digest window: opened by its first item, closed at <see cref="ClosesAt"/> by one message per
/// channel listing every item gathered (alerts and recoveries alike). Durable, so a restart loses no item.
/// </summary>
public sealed class DigestWindow
{
    public required string RuleId { get; init; }
    public DateTime OpenedAt { get; init; }
    public DateTime ClosesAt { get; init; }
}
