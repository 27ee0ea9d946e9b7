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
            RefusePlantedEntries(folder);
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

        RefusePlantedEntries(folder);
        return new ConfigFolderCheck(directory, Created: false, LooserRights: current);
    }

    /// <summary>
    /// A folder made private now may still hold files someone else created before (a pre-created folder in
    /// ProgramData, which Users may create): their owner can rewrite their rights at any time, so the agent's
    /// key, secret or outbox in them would be theirs. Nothing to repair in place: the folder must go.
    /// </summary>
    static void RefusePlantedEntries(DirectoryInfo folder)
    {
        const AccessControlSections ownerAndDacl = AccessControlSections.Owner | AccessControlSections.Access;
        foreach (var entry in folder.EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
        {
            var sddl = entry switch
            {
                DirectoryInfo directory => directory.GetAccessControl(ownerAndDacl).GetSecurityDescriptorSddlForm(ownerAndDacl),
                FileInfo file => file.GetAccessControl(ownerAndDacl).GetSecurityDescriptorSddlForm(ownerAndDacl),
                _ => null,
            };
            if (sddl is not null && ConfigFolderAcl.EntryProblem(sddl) is { } problem)
            {
                throw new AgentSetupException(
                    $"the config folder {folder.FullName} holds {Path.GetRelativePath(folder.FullName, entry.FullName)} {problem}: remove the folder and enroll again");
            }
        }
    }

    static DirectorySecurity Wanted()
    {
        var security = new DirectorySecurity();
        security.SetSecurityDescriptorSddlForm(ConfigFolderAcl.Sddl, Sections);
        return security;
    }
}
