namespace ResticManager.Notifications;

/// <summary>One item waiting in a rule's open digest window (see <see cref="DigestWindow"/>).</summary>
public sealed class DigestItem
{
    public long Id { get; init; }
    public required string RuleId { get; init; }
    public NotificationSeverity Severity { get; init; }
    public string? HostId { get; init; }

    /// <summary>The <see cref="NotificationItem"/> as JSON.</summary>
    public required string ItemJson { get; init; }
    public DateTime CreatedAt { get; init; }
}
