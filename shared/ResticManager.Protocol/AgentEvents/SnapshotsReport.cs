namespace ResticManager.Protocol;

/// <summary>The host's complete snapshot list: it replaces the catalogue authoritatively.</summary>
public sealed record SnapshotsReport(string EventId, string? JobId, DateTimeOffset ReportedAt, IReadOnlyList<SnapshotInfo> Snapshots) : IOutboxEvent;
