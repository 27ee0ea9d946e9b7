using System.Runtime.Versioning;

namespace ResticManager.Agent.Storage.Protection;

/// <summary>Unix: the folder is 0700, its owner's only (root's, for the service).</summary>
[UnsupportedOSPlatform("windows")]
public sealed class UnixConfigFolderSecurity : IConfigFolderSecurity
{
    public const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public ConfigFolderCheck Secure(string directory)
    {
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory, Private);
            // The umask only removes bits; set the mode anyway in case the folder appeared in between.
            File.SetUnixFileMode(directory, Private);
            return new ConfigFolderCheck(directory, Created: true, LooserRights: null);
        }

        var mode = File.GetUnixFileMode(directory);
        if ((mode & ~Private) == 0)
        {
            return new ConfigFolderCheck(directory, Created: false, LooserRights: null);
        }

        var looser = "mode " + Convert.ToString((int)mode, 8).PadLeft(4, '0');
        try
        {
            File.SetUnixFileMode(directory, Private);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            // Someone else's folder the agent may write in: it still works, the operator hears why it is open.
            return new ConfigFolderCheck(directory, Created: false, looser, Problem: ex.Message);
        }

        return new ConfigFolderCheck(directory, Created: false, looser);
    }
}
