using MassTransit;
using Microsoft.EntityFrameworkCore;
using ResticManager.BuildingBlocks;

namespace ResticManager.Snapshots;

/// <summary>
/// Every host known to the snapshots service has a catalogue row, created by whichever comes first:
/// its enrollment or its first report (events of different senders arrive in any order).
/// </summary>
public static class HostCatalogs
{
    public static Task EnsureAsync(SnapshotsDbContext db, string hostId, CancellationToken ct) =>
        db.AddIfMissingAsync<HostCatalog>(c => c.HostId == hostId, () => new HostCatalog { HostId = hostId }, ct);

    /// <summary>
    /// Applies an agent's report to its host's catalogue once (by event id), unless a report of the same
    /// kind at least as recent (<paramref name="appliedAt"/>) was applied already, and acknowledges it to
    /// the agent after the commit.
    /// </summary>
    public static async Task ApplyReportAsync(
        SnapshotsDbContext db, TimeProvider clock, ConsumeContext context, string hostId, string eventId, DateTime reportedAt,
        Func<HostCatalog, DateTime?> appliedAt, Func<HostCatalog, Task> apply)
    {
        await EnsureAsync(db, hostId, context.CancellationToken);
        await Inbox.ApplyOnceAsync(db, hostId, eventId, async () =>
        {
            var catalog = await db.Catalogs.FirstAsync(c => c.HostId == hostId, context.CancellationToken);
            if (appliedAt(catalog) is not { } applied || applied < reportedAt)
            {
                await apply(catalog);
            }
        }, clock, context.CancellationToken);
        await context.AcknowledgeToAgentAsync(hostId, eventId, context.CancellationToken);
    }
}
