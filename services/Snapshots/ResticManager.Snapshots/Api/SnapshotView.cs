namespace ResticManager.Snapshots;

public sealed record SnapshotView(
    string Id, string ShortId, DateTimeOffset Time, string Hostname, IReadOnlyList<string> Paths, IReadOnlyList<string> Tags, long? SizeBytes, long? FileCount);
