namespace ResticManager.Snapshots;

public enum RestoreTargetKind
{
    Original,
    Folder,
    Host,
}
