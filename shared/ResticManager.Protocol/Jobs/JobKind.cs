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
}
