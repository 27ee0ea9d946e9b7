namespace ResticManager.Snapshots;

public sealed class SnapshotRecord
{
    public required string HostId { get; init; }
    public required string Id { get; init; }
    public required string ShortId { get; init; }
    public DateTime Time { get; init; }
    public required string Hostname { get; init; }
    public required string PathsJson { get; init; }
    public string? TagsJson { get; init; }
    public long? SizeBytes { get; init; }
    public long? FileCount { get; init; }
}
