namespace ResticManager.Agent.Storage.Protection;

/// <summary>
/// What securing the config folder found: it was <see cref="Created"/> with the private rights, or it existed
/// with looser rights (described by <see cref="LooserRights"/>: a Unix mode or an SDDL) that were tightened,
/// or could not be (<see cref="Problem"/>: the agent then works on, and says why).
/// </summary>
public sealed record ConfigFolderCheck(string Directory, bool Created, string? LooserRights, string? Problem = null)
{
    public bool Tightened => LooserRights is not null && Problem is null;
}
