using MassTransit;
using ResticManager.Contracts;

namespace ResticManager.Inventory;

/// <summary>
/// Heartbeats a batch at a time (see <see cref="AgentHeartbeatReceivedConsumerDefinition"/>): one transaction,
/// one commit, for all of them, and the intake's progress recorded for the stale sweep.
/// </summary>
public sealed class AgentHeartbeatReceivedConsumer(InventoryDbContext db, HeartbeatIntake intake) : IConsumer<Batch<AgentHeartbeatReceived>>
{
    public async Task Consume(ConsumeContext<Batch<AgentHeartbeatReceived>> context)
    {
        var heartbeats = context.Message.Select(m => m.Message).ToList();
        using var batch = intake.Start(heartbeats.Min(h => h.ReceivedAt));
        await Presence.RecordHeartbeatsAsync(db, heartbeats.Select(h => new Heartbeat(h.AgentId, h.ConnectionSeq, h.ReceivedAt.UtcDateTime)), context.CancellationToken);
        batch.Commit();
    }
}
