using ResticManager.BuildingBlocks;

namespace ResticManager.Notifications;

/// <summary>
/// One delivery of the history. The channel's name and kind are null once the channel is deleted;
/// <see cref="NextAttemptAt"/> is set only while the delivery is pending.
/// </summary>
public sealed record DeliveryView(
    string Id, string ChannelId, string? ChannelName, ChannelKind? ChannelKind, string? RuleId, string Title, string? HostId, int ItemCount,
    DeliveryStatus Status, int Attempts, DateTimeOffset CreatedAt, DateTimeOffset? LastAttemptAt, DateTimeOffset? SentAt,
    DateTimeOffset? NextAttemptAt, string? LastAnswer)
{
    public static DeliveryView From(Delivery d, NotificationChannel? channel) => new(
        d.Id, d.ChannelId, channel?.Name, channel?.Kind, d.RuleId, d.Title, d.HostId, d.ItemCount,
        d.Status, d.Attempts, d.CreatedAt.AsUtc(), d.LastAttemptAt.AsUtc(), d.SentAt.AsUtc(),
        d.Status == DeliveryStatus.Pending ? d.NextAttemptAt.AsUtc() : null, d.LastAnswer);
}
