using MassTransit;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;

namespace ResticManager.Inventory;

/// <summary>
/// Sends the agent its config after a binding change. The change's event comes from the outbox, so the
/// config follows every committed change at least once, while the secrets it carries are read from the
/// (encrypted) binding here instead of waiting in clear in the outbox. The current binding is sent, so a
/// late or repeated event never sends an older one.
/// </summary>
public sealed class HostRepositoryChangedConsumer(InventoryDbContext db, SecretProtector protector) : IConsumer<HostRepositoryChanged>
{
    public async Task Consume(ConsumeContext<HostRepositoryChanged> context)
    {
        var change = context.Message;
        if (await AgentConfigCommands.CurrentAsync(db, change.AgentId, protector, context.CancellationToken) is { } config)
        {
            await context.Publish(config, context.CancellationToken);
        }
        else if (!change.Bound)
        {
            await context.Publish(AgentConfigCommands.Unbound(change.AgentId, change.Version), context.CancellationToken);
        }
    }
}
