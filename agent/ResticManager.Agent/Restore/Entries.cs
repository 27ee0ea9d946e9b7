namespace ResticManager.Agent.Restore;

public static class Entries
{
    /// <summary>lstat: a link is a link, dangling or not, whatever it points to.</summary>
    public static EntryState Inspect(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            return EntryState.Symlink;
        }

        return Directory.Exists(path) ? EntryState.Directory : info.Exists ? EntryState.File : EntryState.Missing;
    }
}
