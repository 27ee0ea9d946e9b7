using ResticManager.Agent.Restic;
using ResticManager.Protocol;

namespace ResticManager.Agent.Restore;

/// <summary>
/// Puts each restored node where it belongs, by the overwrite policy, from the staging folder restic
/// restored into (or, without one, a dry run: only decides). Every move is a bare rename over the
/// destination, so nothing is ever written through a link, a reader never sees half a file, a link
/// stays a link, and nothing is copied across file systems (that fails the file instead). Immediately
/// before each rename the staged source is looked at again (the staging folder still the one created,
/// only real folders on the way) and so is every folder on the way to the destination. A folder
/// missing at its destination is moved over whole; an existing folder is never replaced or changed.
/// </summary>
public sealed class RestorePlacement(RestoreLayout layout, RestoreOverwrite policy, RestoreTally tally, StagingFolder? staging)
{
    // Folders moved in whole from staging: everything below them that restic restored is there already.
    readonly List<string> moved = [];

    public void Apply(ResticNode node)
    {
        var destination = layout.Destination(node.Path);
        var trusted = layout.TrustedFolder(node.Path);
        var create = staging is not null;
        var parent = Path.GetDirectoryName(destination) ?? destination;
        if (moved.Any(folder => RestorePaths.IsWithin(destination, folder)))
        {
            InMovedFolder(node, destination, trusted);
            return;
        }

        if (node.Type == EntryType.Dir)
        {
            // A missing folder comes over whole, with the owner, mode and times restic gave it. Its files
            // say so if it cannot be made; an empty folder that cannot is simply not restored.
            if (staging is not null && Entries.Inspect(destination) == EntryState.Missing
                && staging.Source(node.Path, EntryState.Directory, out var source) is null && TryMove(trusted, source, destination, folder: true) is null)
            {
                moved.Add(destination);
                return;
            }

            SafeFolders.Prepare(trusted, destination, create);
            return;
        }

        if (SafeFolders.Prepare(trusted, parent, create) is { } refused)
        {
            tally.Record(new RestoreDecision(RestoreAction.Refuse, refused), destination, 0);
            return;
        }

        var decision = OverwritePolicy.Decide(policy, node, destination);
        if (staging is not null && decision.Action is RestoreAction.Create or RestoreAction.Overwrite)
        {
            if ((staging.Source(node.Path, node.Type == EntryType.Symlink ? EntryState.Symlink : EntryState.File, out var source) ?? TryMove(trusted, source, destination, folder: false)) is { } problem)
            {
                tally.Fail(destination, problem);
                return;
            }
        }

        tally.Record(decision, destination, node.Type == EntryType.File ? node.Size ?? 0 : 0);
    }

    /// <summary>
    /// Below a folder moved over whole: its files are there (or restic did not restore them). restic
    /// restores only the folders leading to the files it was named, so an empty folder is made here.
    /// </summary>
    void InMovedFolder(ResticNode node, string destination, string trusted)
    {
        var missing = Entries.Inspect(destination) == EntryState.Missing;
        if (node.Type == EntryType.Dir)
        {
            if (missing)
            {
                SafeFolders.Prepare(trusted, destination, create: true);
            }
        }
        else if (missing)
        {
            tally.Fail(destination, "restic did not restore it");
        }
        else
        {
            tally.Record(new RestoreDecision(RestoreAction.Create), destination, node.Type == EntryType.File ? node.Size ?? 0 : 0);
        }
    }

    /// <summary>The folders on the way checked again right before the rename (nothing is cached); null when moved, else why not.</summary>
    static string? TryMove(string trusted, string source, string destination, bool folder)
    {
        if (SafeFolders.Prepare(trusted, Path.GetDirectoryName(destination) ?? destination, create: true) is { } refused)
        {
            return refused;
        }

        try
        {
            Posix.Rename(source, destination, noReplace: folder);
            return null;
        }
        catch (IOException ex)
        {
            return ex.Message;
        }
    }
}
