namespace ResticManager.Protocol;

public enum EntryType
{
    File,
    Dir,
    Symlink,
    Other,
}
