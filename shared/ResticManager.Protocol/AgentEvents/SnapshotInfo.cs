namespace ResticManager.Protocol;

public sealed record SnapshotInfo(
    string Id,
    string ShortId,
    DateTimeOffset Time,
    string Hostname,
    IReadOnlyList<string> Paths,
    IReadOnlyList<string>? Tags,
    long? SizeBytes,
    long? FileCount);
