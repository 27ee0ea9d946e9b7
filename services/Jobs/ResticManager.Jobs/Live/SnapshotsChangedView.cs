namespace ResticManager.Jobs;

/// <summary>A <c>snapshots</c> event of the fleet stream: the host's snapshot catalogue was stored anew.</summary>
public sealed record SnapshotsChangedView(string HostId, DateTimeOffset RefreshedAt);
