namespace ResticManager.Protocol;

/// <summary><c>cmd/query.tree</c>: the direct children of <see cref="Path"/> in one snapshot, folders first, paged.</summary>
public sealed record TreeQuery(string SnapshotId, string Path, string? Cursor, int Limit, DateTimeOffset ExpiresAt);
