namespace ResticManager.Agent.Restore;

/// <summary>What is at a path, without following a symbolic link there.</summary>
public enum EntryState
{
    Missing,
    File,
    Directory,
    Symlink,
}
