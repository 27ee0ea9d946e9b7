using MassTransit;
using ResticManager.Contracts;

namespace ResticManager.Snapshots;

/// <summary>Stats reports merge field by field into the host's catalogue: a field the report leaves out keeps its value.</summary>
public sealed class AgentRepositoryStatsReportedConsumer(SnapshotsDbContext db, TimeProvider clock) : IConsumer<AgentRepositoryStatsReported>
{
    public Task Consume(ConsumeContext<AgentRepositoryStatsReported> context)
    {
        var (agentId, stats) = (context.Message.AgentId, context.Message.Event);
        var reportedAt = stats.ReportedAt.UtcDateTime;
        return HostCatalogs.ApplyReportAsync(db, clock, context, agentId, stats.EventId, reportedAt, c => c.StatsUpdatedAt, catalog =>
        {
            catalog.TotalSizeBytes = stats.TotalSizeBytes ?? catalog.TotalSizeBytes;
            catalog.SnapshotCount = stats.SnapshotCount ?? catalog.SnapshotCount;
            catalog.LastCheckAt = stats.LastCheckAt?.UtcDateTime ?? catalog.LastCheckAt;
            catalog.LastCheckSucceeded = stats.LastCheckSucceeded ?? catalog.LastCheckSucceeded;
            catalog.LockPresent = stats.LockPresent ?? catalog.LockPresent;
            catalog.StatsUpdatedAt = reportedAt;
            return Task.CompletedTask;
        });
    }
}
