using MassTransit;
using Microsoft.EntityFrameworkCore;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;
using ResticManager.Protocol;
using ResticManager.ServiceDefaults;

namespace ResticManager.Inventory;

/// <summary>
/// Publishes every non-revoked host's labels, state and agent version verdict as they are stored, with their stored versions, page by
/// page. Directly, not through the outbox: a redelivery publishes the same versions again, which every
/// consumer ignores, and nothing is lost if this fails half-way (the consumer is retried).
/// </summary>
public sealed class RepublishHostFactsConsumer(InventoryDbContext db) : IConsumer<RepublishHostFacts>
{
    const int PageSize = 500;

    public async Task Consume(ConsumeContext<RepublishHostFacts> context)
    {
        var ct = context.CancellationToken;
        var after = string.Empty;
        while (true)
        {
            var hosts = await db.Hosts.AsNoTracking()
                .Where(h => h.Status != HostStatus.Revoked && string.Compare(h.Id, after) > 0)
                .OrderBy(h => h.Id).Take(PageSize)
                .Select(h => new { h.Id, h.Hostname, h.Status, h.StateVersion, h.AgentVersion, h.ProtocolVersion, Since = h.LastSeenAt ?? h.EnrolledAt })
                .ToListAsync(ct);
            if (hosts.Count == 0)
            {
                return;
            }

            var ids = hosts.Select(h => h.Id).ToList();
            var sets = await db.Set<HostLabelSet>().AsNoTracking().Where(s => ids.Contains(s.HostId)).ToListAsync(ct);
            var labels = await db.LabelsOfAsync(ids, ct);
            await context.PublishBatch(sets.Select(s => new HostLabelsChanged(s.HostId, labels[s.HostId].ToList(), s.Version, s.ChangedAt.AsUtc())), ct);
            // State = Previous: a consumer that has the host learns nothing new and one that has not gets the
            // state without a transition to alert on. At is the last sign of life, the best "since" stored.
            await context.PublishBatch(hosts.Select(h =>
            {
                var state = Presence.StateOf(h.Status);
                return new HostStateChanged(h.Id, h.Hostname, state, state, h.StateVersion, h.Since.AsUtc());
            }), ct);
            // The verdict on each agent's version, judged now (a server upgrade may have turned it over since the
            // last hello), under an id of the verdict itself: the same one again is applied once.
            await context.PublishBatch(hosts.Where(h => h.AgentVersion is not null && h.ProtocolVersion is not null).Select(h =>
            {
                var outdated = AgentVersionPolicy.IsOutdated(h.AgentVersion, h.ProtocolVersion);
                return new AgentVersionAssessed(h.Id, $"facts:{h.AgentVersion}:{h.ProtocolVersion}:{AgentVersionPolicy.Shipped}:{outdated}", h.Hostname,
                    h.AgentVersion!, h.ProtocolVersion!.Value, AgentVersionPolicy.Shipped, ProtocolVersion.MaxSupported, outdated, h.Since.AsUtc());
            }), ct);
            after = hosts[^1].Id;
        }
    }
}
