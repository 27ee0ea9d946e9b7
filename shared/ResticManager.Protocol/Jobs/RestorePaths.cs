namespace ResticManager.Protocol;

/// <summary>
/// The path rules of a restore, applied by the server to the request and again by the agent before
/// anything is written: absolute (POSIX <c>/…</c>, or a Windows drive <c>C:\…</c>), no <c>.</c> or
/// <c>..</c> segment, no NUL; a restored path lies within one of the snapshot's own paths.
/// </summary>
public static class RestorePaths
{
    public const int MaxLength = 4096;

    public static bool IsAbsolute(string path) =>
        path.StartsWith('/') || (path.Length >= 3 && char.IsAsciiLetter(path[0]) && path[1] == ':' && path[2] is '\\' or '/');

    /// <summary>Absolute, not too long, no NUL, and no <c>.</c> or <c>..</c> segment: what it names is what gets written.</summary>
    public static bool IsValid(string? path) =>
        !string.IsNullOrEmpty(path) && path.Length <= MaxLength && !path.Contains('\0', StringComparison.Ordinal) && IsAbsolute(path)
        && !path.Split('/', '\\').Any(segment => segment is "." or "..");

    /// <summary>Without trailing separators (the root stays <c>/</c>).</summary>
    public static string Trim(string path)
    {
        var trimmed = path.TrimEnd('/', '\\');
        return trimmed.Length == 0 ? path[..1] : trimmed.EndsWith(':') ? trimmed + path[trimmed.Length] : trimmed;
    }

    /// <summary>The same path as <paramref name="root"/> or one below it, segment by segment (<c>/srv/a</c> is not within <c>/srv/ab</c>).</summary>
    public static bool IsWithin(string path, string root)
    {
        var p = Trim(path);
        var r = Trim(root);
        if (r is "/" or "\\")
        {
            return p.StartsWith(r, StringComparison.Ordinal);
        }

        return string.Equals(p, r, StringComparison.Ordinal)
            || (p.Length > r.Length && p.StartsWith(r, StringComparison.Ordinal) && p[r.Length] is '/' or '\\');
    }

    public static bool IsWithinAny(string path, IEnumerable<string> roots) => roots.Any(root => IsWithin(path, root));
}
