namespace ResticManager.Agent.Storage.Protection;

/// <summary>How the agent's files are protected on this operating system: the one place that chooses.</summary>
public sealed record AgentFileProtection(IKeyProtection Key, IConfigFolderSecurity Folder)
{
    public static AgentFileProtection ForThisMachine() => OperatingSystem.IsWindows()
        ? new AgentFileProtection(new DpapiKeyProtection(), new WindowsConfigFolderSecurity())
        : new AgentFileProtection(new FileModeKeyProtection(), new UnixConfigFolderSecurity());
}
