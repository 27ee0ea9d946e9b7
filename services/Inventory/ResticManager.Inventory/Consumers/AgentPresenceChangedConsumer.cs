using MassTransit;
using ResticManager.Contracts;

namespace ResticManager.Inventory;

/// <summary>Status messages a batch at a time (a fleet connecting sends thousands within a minute): one transaction per batch.</summary>
public sealed class AgentPresenceChangedConsumer(InventoryDbContext db) : IConsumer<Batch<AgentPresenceChanged>>
{
    public Task Consume(ConsumeContext<Batch<AgentPresenceChanged>> context) =>
        Presence.ApplyStatusesAsync(db,
            context.Message.Select(m => new PresenceStatus(m.Message.AgentId, m.Message.Online, m.Message.ConnectionSeq, m.Message.At.UtcDateTime)),
            context.CancellationToken);
}
