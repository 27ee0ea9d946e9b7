using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;

namespace ResticManager.Snapshots;

/// <summary>
/// Each snapshots report replaces the host's catalogue in one transaction (delete, insert, stamp), with
/// <see cref="HostSnapshotsChanged"/> in its outbox, so open browsers refetch the host's snapshots.
/// </summary>
public sealed class AgentSnapshotsReportedConsumer(SnapshotsDbContext db, TimeProvider clock) : IConsumer<AgentSnapshotsReported>
{
    public Task Consume(ConsumeContext<AgentSnapshotsReported> context)
    {
        var (agentId, report) = (context.Message.AgentId, context.Message.Event);
        var reportedAt = report.ReportedAt.UtcDateTime;
        return HostCatalogs.ApplyReportAsync(db, clock, context, agentId, report.EventId, reportedAt, c => c.RefreshedAt, async catalog =>
        {
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
            db.AddToOutbox(new HostSnapshotsChanged(agentId, report.ReportedAt));
        });
    }
}
