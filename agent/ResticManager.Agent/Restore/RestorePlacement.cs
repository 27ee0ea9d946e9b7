using ResticManager.Agent.Restic;
using ResticManager.Protocol;

namespace ResticManager.Agent.Restore;

/// <summary>
/// Puts each restored node where it belongs, by the overwrite policy, from the staging folder restic
/// restored into (or, in a dry run, only decides). A file is moved next to its destination under a
/// fresh name (a copy opened create-new when the staging folder is on another file system) and then
/// renamed over it, so nothing is ever written through a link and a reader never sees half a file.
/// A folder missing at its destination is moved over whole.
/// </summary>
public sealed class RestorePlacement(RestoreLayout layout, RestoreOverwrite policy, RestoreTally tally)
{
    readonly SafeFolders folders = new();

    // Folders moved in whole from staging: everything below them is created already.
    readonly List<string> moved = [];

    /// <param name="staging">The folder restic restored into; null for a dry run.</param>
    public void Apply(ResticNode node, string? staging)
    {
        var destination = layout.Destination(node.Path);
        var trusted = layout.TrustedFolder(node.Path);
        var create = staging is not null;
        if (moved.Any(folder => RestorePaths.IsWithin(destination, folder)))
        {
            if (node.Type != EntryType.Dir && Entries.Inspect(destination) == EntryState.Missing)
            {
                tally.Fail(destination, "restic did not restore it");
            }
            else if (node.Type != EntryType.Dir)
            {
                tally.Record(new RestoreDecision(RestoreAction.Create), destination, node.Type == EntryType.File ? node.Size ?? 0 : 0);
            }

            return;
        }

        var parent = Path.GetDirectoryName(destination) ?? destination;
        if (node.Type == EntryType.Dir)
        {
            // A missing folder comes over whole, with the owner, mode and times restic gave it. Its files
            // say so if it cannot be made; an empty folder that cannot is simply not restored.
            if (create && folders.Prepare(trusted, parent, create) is null && Entries.Inspect(destination) == EntryState.Missing
                && TryMoveFolder(Path.Join(staging, node.Path.TrimStart('/')), destination))
            {
                moved.Add(destination);
                return;
            }

            folders.Prepare(trusted, destination, create);
            return;
        }

        if (folders.Prepare(trusted, parent, create) is { } refused)
        {
            tally.Record(new RestoreDecision(RestoreAction.Refuse, refused), destination, 0);
            return;
        }

        var decision = OverwritePolicy.Decide(policy, node, destination);
        if (staging is not null && decision.Action is RestoreAction.Create or RestoreAction.Overwrite)
        {
            var staged = Path.Join(staging, node.Path.TrimStart('/'));
            if (Entries.Inspect(staged) == EntryState.Missing)
            {
                tally.Fail(destination, "restic did not restore it");
                return;
            }

            try
            {
                Place(staged, destination);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                tally.Fail(destination, ex.Message);
                return;
            }
        }

        tally.Record(decision, destination, node.Type == EntryType.File ? node.Size ?? 0 : 0);
    }

    /// <summary>A rename, so only on the same file system; the caller creates the folder itself otherwise.</summary>
    static bool TryMoveFolder(string staged, string destination)
    {
        if (Entries.Inspect(staged) != EntryState.Directory)
        {
            return false;
        }

        try
        {
            Directory.Move(staged, destination);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    static void Place(string staged, string destination)
    {
        var temporary = Path.Join(Path.GetDirectoryName(destination), $".{Path.GetFileName(destination)}.restic-manager-{Guid.NewGuid():N}");
        File.Move(staged, temporary);
        try
        {
            File.Move(temporary, destination, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
