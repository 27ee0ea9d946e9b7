namespace ResticManager.Agent.Restore;

/// <summary>
/// The check that keeps a restore inside its target: every folder between the trusted folder and a
/// destination must be a real folder (or missing, and then created one level at a time), never a
/// symbolic link, which could lead anywhere. The destination itself is never followed either: it is
/// replaced by a rename, which replaces a link rather than writing through it. A local user able to
/// swap a checked folder for a link in the instant between check and rename is not defended against.
/// </summary>
public sealed class SafeFolders
{
    readonly HashSet<string> verified = new(StringComparer.Ordinal);

    /// <summary>Null when <paramref name="folder"/> can be written into (created when <paramref name="create"/>), else why not.</summary>
    public string? Prepare(string trusted, string folder, bool create)
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

    string? Check(string trusted, string folder, bool create)
    {
        if (verified.Contains(folder))
        {
            return null;
        }

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

        if (create || !missing)
        {
            verified.Add(folder);
        }

        return null;
    }
}
