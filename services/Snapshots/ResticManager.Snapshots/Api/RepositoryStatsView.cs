namespace ResticManager.Snapshots;

public sealed record RepositoryStatsView(
    long? TotalSizeBytes, long? SnapshotCount, DateTimeOffset? LastCheckAt, bool? LastCheckSucceeded, bool? LockPresent, DateTimeOffset? UpdatedAt);
