namespace ResticManager.Protocol;

/// <summary>
/// What a restore job restores, and where. <see cref="Paths"/> are absolute paths inside the snapshot
/// (each within one of its <c>paths</c>). <see cref="TargetPath"/> null restores to the original
/// location; otherwise under it, keeping the original absolute path as restic does
/// (<c>/restore</c> + <c>/srv/a.txt</c> → <c>/restore/srv/a.txt</c>). <see cref="SourceHostId"/> set means
/// the snapshot is another host's: the job must run with the access attached to it
/// (<see cref="RunJob.Admin"/>, that host's whole repository access, for this one run) and never with
/// the running host's own, and fails when none is attached.
/// </summary>
public sealed record RestoreSpec(
    string SnapshotId,
    IReadOnlyList<string> Paths,
    string? TargetPath,
    RestoreOverwrite Overwrite,
    bool Verify = false,
    bool DryRun = false,
    string? SourceHostId = null);
