namespace ResticManager.Protocol;

/// <summary><c>cmd/query.diff</c>: what changed from <see cref="SnapshotId"/> to <see cref="OtherSnapshotId"/>, paged.</summary>
public sealed record DiffQuery(string SnapshotId, string OtherSnapshotId, string? Cursor, int Limit, DateTimeOffset ExpiresAt);
