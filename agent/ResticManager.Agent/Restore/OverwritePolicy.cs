using ResticManager.Agent.Restic;
using ResticManager.Protocol;

namespace ResticManager.Agent.Restore;

/// <summary>
/// The agent's own overwrite policies, for restic before 0.17 (which overwrites everything) and for
/// every dry run: whether one file of the snapshot is created, overwrites what is at its destination,
/// or is skipped. "Changed" means another type, size or link target, or a modification time more than
/// a second apart (file systems keep times at different precisions); restic 0.17's if-changed compares
/// content instead. "Newer" compares modification times to the second.
/// </summary>
public static class OverwritePolicy
{
    public static RestoreDecision Decide(RestoreOverwrite policy, ResticNode node, string destination)
    {
        var state = Entries.Inspect(destination);
        if (state == EntryState.Missing)
        {
            return new RestoreDecision(RestoreAction.Create);
        }

        if (state == EntryState.Directory)
        {
            return new RestoreDecision(RestoreAction.Skip, "a folder is in its place");
        }

        return policy switch
        {
            RestoreOverwrite.Always => new RestoreDecision(RestoreAction.Overwrite),
            RestoreOverwrite.IfChanged => Changed(node, destination, state)
                ? new RestoreDecision(RestoreAction.Overwrite)
                : new RestoreDecision(RestoreAction.Skip, "unchanged"),
            RestoreOverwrite.IfNewer => node.Mtime is { } mtime && Seconds(mtime.UtcDateTime) > Seconds(File.GetLastWriteTimeUtc(destination))
                ? new RestoreDecision(RestoreAction.Overwrite)
                : new RestoreDecision(RestoreAction.Skip, "not newer than the existing file"),
            _ => new RestoreDecision(RestoreAction.Skip, "exists"),
        };
    }

    static bool Changed(ResticNode node, string destination, EntryState state) => node.Type switch
    {
        EntryType.File => state != EntryState.File
            || new FileInfo(destination).Length != (node.Size ?? 0)
            || node.Mtime is not { } mtime
            || Math.Abs((mtime.UtcDateTime - File.GetLastWriteTimeUtc(destination)).TotalSeconds) >= 1,
        EntryType.Symlink => state != EntryState.Symlink || !string.Equals(new FileInfo(destination).LinkTarget, node.LinkTarget, StringComparison.Ordinal),
        _ => true,
    };

    static long Seconds(DateTime utc) => utc.Ticks / TimeSpan.TicksPerSecond;
}
