using MassTransit;
using ResticManager.Contracts;

namespace ResticManager.Inventory;

public sealed class BrokerStartedConsumer(InventoryDbContext db) : IConsumer<BrokerStarted>
{
    public Task Consume(ConsumeContext<BrokerStarted> context) =>
        Presence.MarkDisconnectedBeforeAsync(db, context.Message.StartedAt.UtcDateTime, context.CancellationToken);
}
