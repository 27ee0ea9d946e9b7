namespace ResticManager.Agent.Storage.Protection;

/// <summary>
/// What securing the config folder found: it was <see cref="Created"/> with the private rights, or it existed
/// with looser rights (described by <see cref="LooserRights"/>: a Unix mode or an SDDL) that were tightened.
/// </summary>
public sealed record ConfigFolderCheck(string Directory, bool Created, string? LooserRights)
{
    public bool Tightened => LooserRights is not null;
}
