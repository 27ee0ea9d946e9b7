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
}
