namespace ResticManager.Snapshots;

/// <summary>Paths inside a snapshot as the API accepts them: absolute, no <c>.</c> or <c>..</c> segments, no empty segments, no NUL.</summary>
public static class SnapshotPaths
{
    public const int MaxLength = 4096;
    public const string Rule = "must be an absolute path inside the snapshot (starting with '/'), without '.' or '..' segments";

    /// <summary>The path without a trailing slash (the root stays <c>/</c>), or null when it breaks the rule.</summary>
    public static string? Normalize(string? path)
    {
        if (string.IsNullOrEmpty(path) || path.Length > MaxLength || path[0] != '/' || path.Contains('\0', StringComparison.Ordinal))
        {
            return null;
        }

        var trimmed = path.Length > 1 && path[^1] == '/' ? path[..^1] : path;
        if (trimmed == "/")
        {
            return trimmed;
        }

        foreach (var segment in trimmed[1..].Split('/'))
        {
            if (segment is "" or "." or "..")
            {
                return null;
            }
        }

        return trimmed;
    }

    /// <summary>The last segment, as a download's file name; the root is named after the snapshot.</summary>
    public static string Name(string path, string shortSnapshotId) => path == "/" ? "snapshot-" + shortSnapshotId : path[(path.LastIndexOf('/') + 1)..];
}
