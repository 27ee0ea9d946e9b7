using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;

namespace ResticManager.Snapshots;

/// <summary>
/// Each snapshots report replaces the host's catalogue in one transaction (delete, insert, stamp),
/// unless a newer report was applied already. Applied once by event id and acknowledged to the agent
/// after the commit.
/// </summary>
public sealed class AgentSnapshotsReportedConsumer(SnapshotsDbContext db, TimeProvider clock) : IConsumer<AgentSnapshotsReported>
{
    public async Task Consume(ConsumeContext<AgentSnapshotsReported> context)
    {
        var (agentId, report) = (context.Message.AgentId, context.Message.Event);
        await HostCatalogs.EnsureAsync(db, agentId, context.CancellationToken);
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
}
