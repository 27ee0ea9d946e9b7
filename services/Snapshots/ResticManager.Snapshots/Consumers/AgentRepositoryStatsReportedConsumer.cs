using MassTransit;
using Microsoft.EntityFrameworkCore;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;

namespace ResticManager.Snapshots;

/// <summary>
/// Stats reports merge field by field into the host's catalogue, unless a newer report was applied
/// already. Applied once by event id and acknowledged to the agent after the commit.
/// </summary>
public sealed class AgentRepositoryStatsReportedConsumer(SnapshotsDbContext db, TimeProvider clock) : IConsumer<AgentRepositoryStatsReported>
{
    public async Task Consume(ConsumeContext<AgentRepositoryStatsReported> context)
    {
        var (agentId, stats) = (context.Message.AgentId, context.Message.Event);
        await HostCatalogs.EnsureAsync(db, agentId, context.CancellationToken);
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
}
