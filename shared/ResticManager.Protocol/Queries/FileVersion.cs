namespace ResticManager.Protocol;

/// <summary>One file as held by one snapshot.</summary>
public sealed record FileVersion(string SnapshotId, DateTimeOffset? SnapshotTime, string Path, EntryType Type, long? Size, DateTimeOffset? Mtime);
