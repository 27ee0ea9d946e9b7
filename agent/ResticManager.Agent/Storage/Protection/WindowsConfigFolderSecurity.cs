using System.Runtime.Versioning;
using System.Security.AccessControl;

namespace ResticManager.Agent.Storage.Protection;

/// <summary>Windows: the folder carries <see cref="ConfigFolderAcl.Sddl"/> (SYSTEM and Administrators only, nothing inherited).</summary>
[SupportedOSPlatform("windows")]
public sealed class WindowsConfigFolderSecurity : IConfigFolderSecurity
{
    // Owner, group and DACL only: writing the SACL too would need SeSecurityPrivilege.
    const AccessControlSections Sections = AccessControlSections.Owner | AccessControlSections.Group | AccessControlSections.Access;

    public ConfigFolderCheck Secure(string directory)
    {
        if (!Directory.Exists(directory))
        {
            // Created with its descriptor in one call, so the key is never written into a folder that
            // briefly inherited ProgramData's "Users: read".
            Wanted().CreateDirectory(directory);
            return new ConfigFolderCheck(directory, Created: true, LooserRights: null);
        }

        var folder = new DirectoryInfo(directory);
        var current = folder.GetAccessControl(AccessControlSections.Owner | AccessControlSections.Access)
            .GetSecurityDescriptorSddlForm(AccessControlSections.Owner | AccessControlSections.Access);
        if (ConfigFolderAcl.IsAtMostAsOpenAs(current))
        {
            return new ConfigFolderCheck(directory, Created: false, LooserRights: null);
        }

        try
        {
            folder.SetAccessControl(Wanted());
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            // Not run as SYSTEM or an Administrator: it still works, the operator hears why it is open.
            return new ConfigFolderCheck(directory, Created: false, current, Problem: ex.Message);
        }

        return new ConfigFolderCheck(directory, Created: false, LooserRights: current);
    }

    static DirectorySecurity Wanted()
    {
        var security = new DirectorySecurity();
        security.SetSecurityDescriptorSddlForm(ConfigFolderAcl.Sddl, Sections);
        return security;
    }
}
