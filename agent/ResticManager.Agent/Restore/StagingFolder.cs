using ResticManager.Protocol;

namespace ResticManager.Agent.Restore;

/// <summary>
/// The empty folder restic restores into before the agent places each file. It must be out of every
/// local user's reach, because restic gives the folders it restores their owners from the snapshot
/// (alice's folders stay alice's inside it): it is created 0700, owned by the agent, in a folder whose
/// every ancestor from <c>/</c> only root (or the agent) can replace entries of — never inside a folder a
/// local user owns, such as <c>/home/alice</c> — and on the file system of the restore's destination,
/// so that placing is a rename and never a copy. Before each use it is looked at again (device and
/// inode) to be sure it is still the folder that was created; it is deleted without following links.
/// </summary>
public sealed class StagingFolder
{
    const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    readonly FileStatus created;

    StagingFolder(string path, FileStatus created)
    {
        Path = path;
        this.created = created;
    }

    public string Path { get; }

    /// <summary>
    /// A new staging folder for a restore writing into <paramref name="destination"/> (which need not exist
    /// yet): in the deepest safe folder on the destination's file system that holds <paramref name="preferred"/>
    /// (the restore's trusted folder: next to what is restored, not inside it), else in the first safe one
    /// below it (when what is restored is a mount point such as <c>/home</c>). Null, with
    /// <paramref name="problem"/> saying why, when there is no safe place on that file system.
    /// </summary>
    public static StagingFolder? TryCreate(string destination, string preferred, out string? problem)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("restores stage on Linux only");
        }

        var agentUser = Posix.EffectiveUser;
        var anchor = System.IO.Path.GetFullPath(destination);
        FileStatus? anchorStatus;
        while ((anchorStatus = Posix.Status(anchor, followLinks: true)) is not { State: EntryState.Directory })
        {
            anchor = System.IO.Path.GetDirectoryName(anchor) ?? "/";
        }

        string? holding = null;
        string? below = null;
        var current = "/";
        foreach (var segment in anchor.Split('/', StringSplitOptions.RemoveEmptyEntries).Prepend(string.Empty))
        {
            current = segment.Length == 0 ? current : System.IO.Path.Join(current, segment);
            if (Posix.Status(current) is not { } status || !status.OnlyOwnerCanReplaceEntries(agentUser))
            {
                break;
            }

            if (status.Device != anchorStatus.Value.Device)
            {
                continue;
            }

            if (RestorePaths.IsWithin(preferred, current))
            {
                holding = current;
            }
            else
            {
                below ??= current;
            }
        }

        if ((holding ?? below) is not { } parent)
        {
            problem = $"no folder on the file system of '{anchor}' is out of other users' reach on the way to it (every folder from '/' owned by root and writable by no one else) to stage the restore in; nothing was restored";
            return null;
        }

        var path = System.IO.Path.Join(parent, $".rm-restore-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path, OwnerOnly);

        // CreateDirectory accepts a folder (or a link to one) that someone put there first.
        if (Posix.Status(path) is not { State: EntryState.Directory } made || made.Owner != agentUser || (made.Mode & (UnixFileMode)0x1FF) != OwnerOnly)
        {
            problem = $"the staging folder '{path}' was not the one the agent created; nothing was restored";
            return null;
        }

        problem = null;
        return new StagingFolder(path, made);
    }

    /// <summary>Still the very folder that was created (same device and inode, not a link), still the agent's and 0700.</summary>
    public bool IsIntact() =>
        Posix.Status(Path) is { State: EntryState.Directory } now
        && now.Device == created.Device && now.Inode == created.Inode && now.Owner == created.Owner && now.Mode == created.Mode;

    /// <summary>
    /// Where restic put <paramref name="snapshotPath"/> if it is there as <paramref name="expected"/> with only real
    /// folders on the way below the staging folder (each looked at with lstat, right now), else why not.
    /// </summary>
    public string? Source(string snapshotPath, EntryState expected, out string source)
    {
        source = System.IO.Path.Join(Path, snapshotPath.TrimStart('/'));
        if (!IsIntact())
        {
            return $"the staging folder '{Path}' was replaced: nothing more is placed from it";
        }

        var current = Path;
        var segments = snapshotPath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < segments.Length; i++)
        {
            current = System.IO.Path.Join(current, segments[i]);
            var state = Posix.Status(current)?.State ?? EntryState.Missing;
            if (state == EntryState.Missing)
            {
                return "restic did not restore it";
            }

            if (i < segments.Length - 1 ? state != EntryState.Directory : state != expected)
            {
                return $"'{current}' in the staging folder is a {state.ToString().ToLowerInvariant()} where the snapshot has a {(i < segments.Length - 1 ? "folder" : expected.ToString().ToLowerInvariant())}: not placed";
            }
        }

        return null;
    }

    /// <summary>Deletes the folder and all in it, never following a link (restic restores the snapshot's links as links); not at all when it was replaced.</summary>
    public string? Delete()
    {
        if (!IsIntact())
        {
            return $"the staging folder '{Path}' is not the one the agent created any more: left alone";
        }

        try
        {
            DeleteTree(Path);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"could not remove the staging folder '{Path}': {ex.Message}";
        }
    }

    static void DeleteTree(string folder)
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(folder))
        {
            if (Posix.Status(entry) is { State: EntryState.Directory })
            {
                DeleteTree(entry);
            }
            else
            {
                File.Delete(entry);
            }
        }

        Directory.Delete(folder);
    }
}
