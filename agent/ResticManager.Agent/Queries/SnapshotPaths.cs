using System.Text;

namespace ResticManager.Agent.Queries;

/// <summary>
/// The checks on what a query puts on restic's command line: a snapshot id (hex only, so never an
/// option, and never <c>latest</c>, whose answer changes and must not be cached) and an absolute path
/// inside a snapshot, normalised so that one folder has one cache key.
/// </summary>
public static class SnapshotPaths
{
    const int MaxPathLength = 4096;

    public static string SnapshotId(string? id, string field)
    {
        if (id is null || id.Length is < 8 or > 64 || !id.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f')))
        {
            throw QueryFailure.BadRequest($"{field} must be a restic snapshot id (8 to 64 lowercase hex digits)");
        }

        return id;
    }

    /// <summary>"/" or an absolute path without a trailing slash, empty, "." or ".." segments.</summary>
    public static string Normalize(string? path, string field)
    {
        if (string.IsNullOrEmpty(path) || path[0] != '/')
        {
            throw QueryFailure.BadRequest($"{field} must be an absolute path (starting with /)");
        }

        if (path.Length > MaxPathLength || path.Any(char.IsControl))
        {
            throw QueryFailure.BadRequest($"{field} must be at most {MaxPathLength} characters without control characters");
        }

        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Any(s => s is "." or ".."))
        {
            throw QueryFailure.BadRequest($"{field} must not contain '.' or '..' segments");
        }

        return "/" + string.Join('/', segments);
    }

    public static string Parent(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash <= 0 ? "/" : path[..slash];
    }

    public static string Name(string path) => path[(path.LastIndexOf('/') + 1)..];

    /// <summary>A name as a restic pattern that matches only itself: glob characters escaped as Go's path.Match reads them.</summary>
    public static string EscapeGlob(string name)
    {
        var escaped = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (c is '*' or '?' or '[' or ']' or '\\')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }
}
