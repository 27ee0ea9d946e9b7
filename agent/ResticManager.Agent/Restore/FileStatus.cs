namespace ResticManager.Agent.Restore;

/// <summary>What <c>lstat</c> (or <c>stat</c>) says about a path: enough to tell one folder from another put in its place.</summary>
public readonly record struct FileStatus(EntryState State, ulong Device, ulong Inode, uint Owner, UnixFileMode Mode)
{
    /// <summary>
    /// Only the owner (root or the agent's own user) can rename, replace or delete what is in it: a real folder
    /// owned by root or the agent, writable by nobody else, or sticky (like <c>/tmp</c>: others cannot touch
    /// entries they do not own).
    /// </summary>
    public bool OnlyOwnerCanReplaceEntries(uint agentUser) =>
        State == EntryState.Directory
        && (Owner == 0 || Owner == agentUser)
        && ((Mode & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) == 0 || (Mode & UnixFileMode.StickyBit) != 0);
}
