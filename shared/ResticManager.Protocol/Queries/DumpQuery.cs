namespace ResticManager.Protocol;

/// <summary>
/// <c>cmd/query.dump</c>: one file as is (<see cref="DumpFormat.Raw"/>) or a folder as an archive, in
/// chunks of at most <see cref="AgentQueries.ChunkBytes"/>. <see cref="Window"/> chunks may be sent
/// before the first <see cref="QueryCredit"/>.
/// </summary>
public sealed record DumpQuery(string SnapshotId, string Path, DumpFormat Format, int Window, DateTimeOffset ExpiresAt);
