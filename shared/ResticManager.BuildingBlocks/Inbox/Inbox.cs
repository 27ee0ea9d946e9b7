using MassTransit;
using Microsoft.EntityFrameworkCore;
using ResticManager.Contracts;
using ResticManager.Protocol;

namespace ResticManager.BuildingBlocks;

/// <summary>
/// Exactly-once application of agent events on top of at-least-once delivery (the agent's outbox
/// replays, MQTT QoS 1 duplicates, bus redeliveries): each service records the event id with its
/// effect in one transaction, and acknowledges to the agent only after that commit.
/// </summary>
public static class Inbox
{
    public static ModelBuilder AddInbox(this ModelBuilder model)
    {
        model.Entity<ProcessedEvent>(e =>
        {
            e.ToTable("processed_events");
            e.HasKey(p => new { p.AgentId, p.EventId });
            e.Property(p => p.AgentId).HasMaxLength(64);
            e.Property(p => p.EventId).HasMaxLength(128);
        });
        return model;
    }

    /// <summary>Runs <paramref name="apply"/> and saves, unless this event was applied before. True when applied now.</summary>
    public static Task<bool> ApplyOnceAsync(DbContext db, string agentId, string eventId, Func<Task> apply, TimeProvider clock, CancellationToken ct) =>
        db.InTransactionAsync(async () =>
        {
            if (await db.Set<ProcessedEvent>().AnyAsync(p => p.AgentId == agentId && p.EventId == eventId, ct))
            {
                return false;
            }

            db.Set<ProcessedEvent>().Add(new ProcessedEvent { AgentId = agentId, EventId = eventId, ProcessedAt = clock.GetUtcNow().UtcDateTime });
            await apply();
            return true;
        }, ct);

    /// <summary>Tells the agent it may drop these events from its outbox.</summary>
    public static Task AcknowledgeToAgentAsync(this IPublishEndpoint bus, string agentId, string eventId, CancellationToken ct) =>
        bus.Publish(new SendAgentCommand(agentId, MessageTypes.Acknowledge, WireJson.Serialize(new Acknowledge([eventId]))), ct);
}
