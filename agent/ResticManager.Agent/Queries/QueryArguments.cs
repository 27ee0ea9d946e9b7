using ResticManager.Protocol;

namespace ResticManager.Agent.Queries;

/// <summary>
/// restic command lines of the queries. All read with <c>--no-lock</c>: browsing must never wait for,
/// nor block, a running backup's lock, and a snapshot read without a lock cannot change under it.
/// Snapshot ids and paths are checked before they get here (hex ids, absolute paths).
/// </summary>
public static class QueryArguments
{
    public static IReadOnlyList<string> Ls(string snapshotId, string path) => ["ls", "--json", "--no-lock", snapshotId, path];

    /// <summary>restic find's glob after <c>--</c>: a pattern starting with a dash is a pattern, not an option.</summary>
    public static IReadOnlyList<string> Find(string hostname, string pattern) => ["find", "--json", "--no-lock", "--host", hostname, "--", pattern];

    public static IReadOnlyList<string> Snapshots(string hostname) => ["snapshots", "--json", "--no-lock", "--host", hostname];

    public static IReadOnlyList<string> Diff(string snapshotId, string otherSnapshotId) => ["diff", "--json", "--no-lock", snapshotId, otherSnapshotId];

    /// <summary>restic 0.14 dumps a folder as tar even without <c>-a</c>, and a file as is even with it.</summary>
    public static IReadOnlyList<string> Dump(string snapshotId, string path, DumpFormat format) => format switch
    {
        DumpFormat.Tar => ["dump", "--no-lock", "-a", "tar", snapshotId, path],
        DumpFormat.Zip => ["dump", "--no-lock", "-a", "zip", snapshotId, path],
        _ => ["dump", "--no-lock", snapshotId, path],
    };
}
