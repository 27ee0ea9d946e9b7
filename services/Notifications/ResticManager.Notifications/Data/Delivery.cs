namespace ResticManager.Notifications;

/// <summary>
/// One message to one channel: written in the same transaction as the event that caused it (so it
/// survives a restart: this table is the service's outbox), sent by the delivery dispatcher, retried
/// with backoff, and kept as the delivery history with the channel's last answer.
/// </summary>
public sealed class Delivery
{
    public const int MaxTitleLength = 300;
    public const int MaxAnswerLength = 1000;

    public required string Id { get; init; }
    public required string ChannelId { get; init; }
    public string? RuleId { get; init; }

    /// <summary>The <see cref="Notification"/> as JSON: what is sent, on every attempt the same.</summary>
    public required string NotificationJson { get; init; }

    /// <summary>Copied from the notification for the history list and its filters.</summary>
    public required string Title { get; init; }
    public string? HostId { get; init; }
    public int ItemCount { get; init; }

    public DeliveryStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime NextAttemptAt { get; set; }
    public DateTime? LastAttemptAt { get; set; }
    public DateTime? SentAt { get; set; }

    /// <summary>The channel's last answer (status code and a bounded excerpt), or the connection error.</summary>
    public string? LastAnswer { get; set; }

    /// <summary>
    /// Set by the dispatcher that is sending this row right now (a lease a little longer than one attempt may
    /// take): no other loop or replica sends it meanwhile; a crashed sender's lease runs out and the row is retried.
    /// </summary>
    public DateTime? ClaimedUntil { get; set; }
}
