namespace ResticManager.Agent.Storage.Protection;

/// <summary>
/// Unix: the key file is stored as is, readable by its owner only (0600 in a 0700 folder). A copy of the
/// folder made by root carries a usable key; the key file is the one to leave out of backups.
/// </summary>
public sealed class FileModeKeyProtection : IKeyProtection
{
    public bool TransformsKey => false;

    public byte[] Protect(byte[] key) => key;

    public byte[] Unprotect(byte[] stored) => stored;
}
