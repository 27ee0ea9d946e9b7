namespace ResticManager.Protocol;

public enum JobKind
{
    Init,
    Backup,
    Forget,
    Prune,
    Check,
    Unlock,
    Stats,

    /// <summary>Restores files of a snapshot (<see cref="RunJob.Restore"/>); appended last, as every new kind must be.</summary>
    Restore,
}
