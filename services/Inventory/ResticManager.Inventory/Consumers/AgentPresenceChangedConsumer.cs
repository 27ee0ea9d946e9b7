using MassTransit;
using Microsoft.EntityFrameworkCore;
using ResticManager.Contracts;

namespace ResticManager.Inventory;

public sealed class AgentPresenceChangedConsumer(InventoryDbContext db) : IConsumer<AgentPresenceChanged>
{
    public async Task Consume(ConsumeContext<AgentPresenceChanged> context)
    {
        var presence = context.Message;
        if (presence.Online)
        {
            var interval = await db.Hosts.Where(h => h.Id == presence.AgentId).Select(h => h.HeartbeatIntervalSeconds).FirstOrDefaultAsync(context.CancellationToken);
            await Presence.MarkOnlineAsync(db, presence.AgentId, presence.ConnectionSeq, presence.At.UtcDateTime, interval > 0 ? interval : 30, context.CancellationToken);
        }
        else
        {
            await Presence.MarkOfflineAsync(db, presence.AgentId, presence.ConnectionSeq, presence.At.UtcDateTime, context.CancellationToken);
        }
    }
}
