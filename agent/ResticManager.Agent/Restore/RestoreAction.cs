namespace ResticManager.Agent.Restore;

public enum RestoreAction
{
    Create,
    Overwrite,
    Skip,

    /// <summary>Not written because a folder on the way to it is a symbolic link (never followed) or not a folder.</summary>
    Refuse,
}
