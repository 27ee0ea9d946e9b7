using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ResticManager.BuildingBlocks;

namespace ResticManager.Notifications;

/// <summary>
/// Writes one <see cref="Delivery"/> per channel of a rule for a message, into the caller's transaction: the
/// deliveries commit with the event's effect or not at all (the table is the outbox).
/// </summary>
public sealed class DeliveryWriter(NotificationsDbContext db, TimeProvider clock, IOptions<NotificationsOptions> options)
{
    readonly Dictionary<string, bool> channelExists = new(StringComparer.Ordinal);

    /// <summary>How many deliveries this writer added (the caller wakes the dispatcher after its commit when any).</summary>
    public int Written { get; private set; }

    public async Task WriteAsync(NotificationRule rule, IReadOnlyList<NotificationItem> items, NotificationSeverity severity, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var hosts = items.Select(i => i.HostId).Distinct().ToList();
        foreach (var channelId in rule.ChannelIds.Distinct(StringComparer.Ordinal))
        {
            if (!await ExistsAsync(channelId, ct))
            {
                // Deleted since the rule named it: nothing to send to.
                continue;
            }

            var id = Ids.New(clock);
            var notification = MessageComposer.Compose(id, items, severity, now, options.Value.Link("/"));
            db.Deliveries.Add(new Delivery
            {
                Id = id,
                ChannelId = channelId,
                RuleId = rule.Id,
                NotificationJson = JsonSerializer.Serialize(notification, ApiJson.Options),
                Title = notification.Title,
                HostId = hosts.Count == 1 ? hosts[0] : null,
                ItemCount = items.Count,
                Status = DeliveryStatus.Pending,
                CreatedAt = now.UtcDateTime,
                NextAttemptAt = now.UtcDateTime,
            });
            Written++;
        }
    }

    async Task<bool> ExistsAsync(string channelId, CancellationToken ct)
    {
        if (!channelExists.TryGetValue(channelId, out var exists))
        {
            exists = await db.Channels.AnyAsync(c => c.Id == channelId, ct);
            channelExists[channelId] = exists;
        }

        return exists;
    }
}
