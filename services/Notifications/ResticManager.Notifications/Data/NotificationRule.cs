namespace ResticManager.Notifications;

/// <summary>
/// Which events, about which hosts (<see cref="Scope"/>: <c>*</c> or <c>label:k=v</c>), go to which
/// channels; <see cref="MinDuration"/> holds back a host alert until the condition has lasted that long,
/// and <see cref="DigestEvery"/> gathers everything the rule matches over that window into one message.
/// </summary>
public sealed class NotificationRule
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public List<NotificationEvent> Events { get; set; } = [];
    public required string Scope { get; set; }
    public List<string> ChannelIds { get; set; } = [];
    public TimeSpan? MinDuration { get; set; }
    public TimeSpan? DigestEvery { get; set; }
    public bool Enabled { get; set; } = true;
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; set; }
    /// <summary>App-managed concurrency token (SQLite ignores rowversion): a new one on every change.</summary>
    public Guid Version { get; set; }
}
