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

    /// <summary>
    /// The batch form of <see cref="ApplyOnceAsync"/>: one transaction and one inbox query for many events.
    /// <paramref name="apply"/> gets the positions in <paramref name="events"/> of those not applied before
    /// (an event twice in the batch counts once, at its first position) and is not called when there are
    /// none; its tracked changes are saved with their inbox rows. Returns those positions.
    /// </summary>
    public static Task<IReadOnlyList<int>> ApplyBatchOnceAsync(DbContext db, IReadOnlyList<AgentEventKey> events, Func<IReadOnlyList<int>, Task> apply, TimeProvider clock, CancellationToken ct) =>
        db.InTransactionAsync<IReadOnlyList<int>>(async () =>
        {
            var agentIds = events.Select(e => e.AgentId).Distinct(StringComparer.Ordinal).ToList();
            var eventIds = events.Select(e => e.EventId).Distinct(StringComparer.Ordinal).ToList();
            // Both columns of the key filter, so the lookup stays on the primary key whatever the batch holds.
            var seen = (await db.Set<ProcessedEvent>().AsNoTracking()
                    .Where(p => agentIds.Contains(p.AgentId) && eventIds.Contains(p.EventId))
                    .Select(p => new { p.AgentId, p.EventId }).ToListAsync(ct))
                .Select(p => new AgentEventKey(p.AgentId, p.EventId)).ToHashSet();
            var fresh = new List<int>(events.Count);
            var now = clock.GetUtcNow().UtcDateTime;
            for (var i = 0; i < events.Count; i++)
            {
                if (seen.Add(events[i]))
                {
                    fresh.Add(i);
                    db.Set<ProcessedEvent>().Add(new ProcessedEvent { AgentId = events[i].AgentId, EventId = events[i].EventId, ProcessedAt = now });
                }
            }

            if (fresh.Count > 0)
            {
                await apply(fresh);
            }

            return fresh;
        }, ct);

    /// <summary>Tells the agent it may drop these events from its outbox.</summary>
    public static Task AcknowledgeToAgentAsync(this IPublishEndpoint bus, string agentId, string eventId, CancellationToken ct) =>
        bus.Publish(new SendAgentCommand(agentId, MessageTypes.Acknowledge, WireJson.Serialize(new Acknowledge([eventId]))), ct);

    /// <summary>
    /// Acknowledges many events with one command per agent rather than one per event: each command costs a
    /// bus message, a broker delivery and an agent-side write. Call it only after the commit that applied them.
    /// </summary>
    public static Task AcknowledgeToAgentsAsync(this IPublishEndpoint bus, IEnumerable<AgentEventKey> events, CancellationToken ct) =>
        Task.WhenAll(events.GroupBy(e => e.AgentId, StringComparer.Ordinal).Select(agent => bus.Publish(
            new SendAgentCommand(agent.Key, MessageTypes.Acknowledge, WireJson.Serialize(new Acknowledge(agent.Select(e => e.EventId).Distinct(StringComparer.Ordinal).ToList()))), ct)));
}
