namespace ResticManager.Contracts;

/// <summary>The snapshots service stored a new snapshot catalogue of a host (reported at <paramref name="RefreshedAt"/>).</summary>
public record HostSnapshotsChanged(string HostId, DateTimeOffset RefreshedAt);
