using MassTransit;
using ResticManager.Contracts;

namespace ResticManager.Inventory;

public sealed class AgentHeartbeatReceivedConsumer(InventoryDbContext db) : IConsumer<AgentHeartbeatReceived>
{
    public Task Consume(ConsumeContext<AgentHeartbeatReceived> context) =>
        Presence.RecordHeartbeatAsync(db, context.Message.AgentId, context.Message.ConnectionSeq, context.Message.ReceivedAt.UtcDateTime, context.CancellationToken);
}
