using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using ResticManager.Contracts;
using ResticManager.Protocol;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Snapshots;

/// <summary>
/// Each snapshots report replaces the host's catalogue in one transaction (delete, insert, stamp),
/// unless a newer report was applied already; stats reports merge field by field. Both are applied
/// once by event id and acknowledged to the agent after the commit.
/// </summary>
public sealed class SnapshotConsumers(SnapshotsDbContext db, TimeProvider clock)
    : IConsumer<HostEnrolled>, IConsumer<AgentSnapshotsReported>, IConsumer<AgentRepositoryStatsReported>
{
    public async Task Consume(ConsumeContext<HostEnrolled> context) =>
        await EnsureCatalogAsync(context.Message.AgentId, context.CancellationToken);

    public async Task Consume(ConsumeContext<AgentSnapshotsReported> context)
    {
        var (agentId, report) = (context.Message.AgentId, context.Message.Event);
        await EnsureCatalogAsync(agentId, context.CancellationToken);
        await Inbox.ApplyOnceAsync(db, agentId, report.EventId, async () =>
        {
            var catalog = await db.Catalogs.FirstAsync(c => c.HostId == agentId, context.CancellationToken);
            var reportedAt = report.ReportedAt.UtcDateTime;
            if (catalog.RefreshedAt is { } refreshed && refreshed >= reportedAt)
            {
                return;
            }

            await db.Snapshots.Where(s => s.HostId == agentId).ExecuteDeleteAsync(context.CancellationToken);
            db.Snapshots.AddRange(report.Snapshots.DistinctBy(s => s.Id).Select(s => new SnapshotRecord
            {
                HostId = agentId,
                Id = s.Id,
                ShortId = string.IsNullOrEmpty(s.ShortId) ? s.Id[..Math.Min(8, s.Id.Length)] : s.ShortId,
                Time = s.Time.UtcDateTime,
                Hostname = s.Hostname,
                PathsJson = JsonSerializer.Serialize(s.Paths),
                TagsJson = s.Tags is { Count: > 0 } tags ? JsonSerializer.Serialize(tags) : null,
                SizeBytes = s.SizeBytes,
                FileCount = s.FileCount,
            }));
            catalog.RefreshedAt = reportedAt;
            catalog.SnapshotCount = report.Snapshots.Count;
        }, clock, context.CancellationToken);
        await context.AcknowledgeToAgentAsync(agentId, report.EventId, context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<AgentRepositoryStatsReported> context)
    {
        var (agentId, stats) = (context.Message.AgentId, context.Message.Event);
        await EnsureCatalogAsync(agentId, context.CancellationToken);
        await Inbox.ApplyOnceAsync(db, agentId, stats.EventId, async () =>
        {
            var catalog = await db.Catalogs.FirstAsync(c => c.HostId == agentId, context.CancellationToken);
            var reportedAt = stats.ReportedAt.UtcDateTime;
            if (catalog.StatsUpdatedAt is { } updated && updated >= reportedAt)
            {
                return;
            }

            catalog.TotalSizeBytes = stats.TotalSizeBytes ?? catalog.TotalSizeBytes;
            catalog.SnapshotCount = stats.SnapshotCount ?? catalog.SnapshotCount;
            catalog.LastCheckAt = stats.LastCheckAt?.UtcDateTime ?? catalog.LastCheckAt;
            catalog.LastCheckSucceeded = stats.LastCheckSucceeded ?? catalog.LastCheckSucceeded;
            catalog.LockPresent = stats.LockPresent ?? catalog.LockPresent;
            catalog.StatsUpdatedAt = reportedAt;
        }, clock, context.CancellationToken);
        await context.AcknowledgeToAgentAsync(agentId, stats.EventId, context.CancellationToken);
    }

    Task EnsureCatalogAsync(string hostId, CancellationToken ct) =>
        db.AddIfMissingAsync<HostCatalog>(c => c.HostId == hostId, () => new HostCatalog { HostId = hostId }, ct);
}
