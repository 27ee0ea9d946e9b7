using ResticManager.Agent.Restic;
using ResticManager.Protocol;

namespace ResticManager.Agent.Restore;

/// <summary>
/// Puts each restored node where it belongs, by the overwrite policy, from the staging folder restic
/// restored into (or, in a dry run, only decides). A file is moved next to its destination under a
/// fresh name (a copy opened create-new when the staging folder is on another file system) and then
/// renamed over it, so nothing is ever written through a link and a reader never sees half a file.
/// </summary>
public sealed class RestorePlacement(RestoreLayout layout, RestoreOverwrite policy, RestoreTally tally)
{
    readonly SafeFolders folders = new();

    /// <param name="staging">The folder restic restored into; null for a dry run.</param>
    public void Apply(ResticNode node, string? staging)
    {
        var destination = layout.Destination(node.Path);
        var trusted = layout.TrustedFolder(node.Path);
        var create = staging is not null;
        if (node.Type == EntryType.Dir)
        {
            // Its files say so if it cannot be made; an empty folder that cannot is simply not restored.
            folders.Prepare(trusted, destination, create);
            return;
        }

        var parent = Path.GetDirectoryName(destination) ?? destination;
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
