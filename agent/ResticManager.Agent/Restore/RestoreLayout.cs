using ResticManager.Protocol;

namespace ResticManager.Agent.Restore;

/// <summary>
/// Where each restored path goes and which folder a restore may trust. A folder restore writes under
/// its target, keeping the absolute path as restic does (<c>/restore</c> + <c>/srv/a.txt</c> →
/// <c>/restore/srv/a.txt</c>), and trusts the target itself; an original restore writes each path
/// where it was and trusts the folder holding the snapshot path it belongs to (the operator chose
/// those, and the backup was taken through them). Everything below the trusted folder is checked.
/// </summary>
public sealed class RestoreLayout(string? targetPath, IReadOnlyList<string> snapshotPaths)
{
    public bool Original => targetPath is null;

    public string Destination(string snapshotPath) =>
        targetPath is null ? snapshotPath : Path.Join(targetPath, snapshotPath.TrimStart('/'));

    public string TrustedFolder(string snapshotPath)
    {
        if (targetPath is not null)
        {
            return targetPath;
        }

        var root = snapshotPaths.Where(r => RestorePaths.IsWithin(snapshotPath, r)).MaxBy(r => r.Length)
            ?? throw new InvalidOperationException($"'{snapshotPath}' is not within the snapshot's paths");
        return Path.GetDirectoryName(RestorePaths.Trim(root)) ?? "/";
    }
}
