namespace ResticManager.Protocol;

public sealed record RepositoryStats(
    string EventId,
    string? JobId,
    DateTimeOffset ReportedAt,
    long? TotalSizeBytes,
    long? SnapshotCount,
    DateTimeOffset? LastCheckAt,
    bool? LastCheckSucceeded,
    bool? LockPresent) : IOutboxEvent;
