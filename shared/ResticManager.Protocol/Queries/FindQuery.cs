namespace ResticManager.Protocol;

/// <summary>
/// <c>cmd/query.find</c>: every version of a file across the agent's own snapshots (restic <c>find</c>
/// with its <c>--host</c>), newest first. Exactly one of <see cref="Path"/> (an exact absolute path)
/// and <see cref="Pattern"/> (restic's glob) is set.
/// </summary>
public sealed record FindQuery(string? Path, string? Pattern, string? Cursor, int Limit, DateTimeOffset ExpiresAt);
