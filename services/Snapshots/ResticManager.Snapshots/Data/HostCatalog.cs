namespace ResticManager.Snapshots;

/// <summary>Per host: when its catalogue was last replaced, and its repository's health.</summary>
public sealed class HostCatalog
{
    public required string HostId { get; init; }
    public DateTime? RefreshedAt { get; set; }
    public long? TotalSizeBytes { get; set; }
    public long? SnapshotCount { get; set; }
    public DateTime? LastCheckAt { get; set; }
    public bool? LastCheckSucceeded { get; set; }
    public bool? LockPresent { get; set; }
    public DateTime? StatsUpdatedAt { get; set; }
}
