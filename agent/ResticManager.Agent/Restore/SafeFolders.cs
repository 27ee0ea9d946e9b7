namespace ResticManager.Agent.Restore;

/// <summary>
/// The check that keeps a restore inside its target: every folder between the trusted folder and a
/// destination must be a real folder (or missing, and then created one level at a time), never a
/// symbolic link, which could lead anywhere. The destination itself is never followed either: it is
/// replaced by a rename, which replaces a link rather than writing through it. Nothing is remembered
/// between calls: the placement checks the whole way again immediately before each rename, so a folder
/// swapped for a link after an earlier check is seen. The instant between that check and the rename
/// itself remains (closing it needs <c>openat</c> with <c>O_NOFOLLOW</c> per folder and <c>renameat</c>).
/// </summary>
public static class SafeFolders
{
    /// <summary>Null when <paramref name="folder"/> can be written into (created when <paramref name="create"/>), else why not.</summary>
    public static string? Prepare(string trusted, string folder, bool create)
    {
        try
        {
            return Check(trusted, folder, create);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"'{folder}' cannot be created: {ex.Message}";
        }
    }

    static string? Check(string trusted, string folder, bool create)
    {
        var relative = Path.GetRelativePath(trusted, folder);
        if (relative == ".")
        {
            relative = string.Empty;
        }
        else if (relative == ".." || relative.StartsWith("../", StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            return $"'{folder}' is outside the restore's target '{trusted}'";
        }

        if (create)
        {
            Directory.CreateDirectory(trusted);
        }

        var current = trusted;
        var missing = !Directory.Exists(trusted);
        foreach (var segment in relative.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Join(current, segment);
            if (missing)
            {
                continue;
            }

            switch (Entries.Inspect(current))
            {
                case EntryState.Symlink:
                    return $"'{current}' is a symbolic link: a restore never follows one";
                case EntryState.Missing when create:
                    Directory.CreateDirectory(current);
                    break;
                case EntryState.Missing:
                    // A dry run: everything below is missing too, and would be created.
                    missing = true;
                    break;
                case EntryState.Directory:
                    break;
                default:
                    return $"'{current}' is not a folder";
            }
        }

        return null;
    }
}
