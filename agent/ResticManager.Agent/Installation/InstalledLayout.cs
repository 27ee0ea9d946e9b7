using ResticManager.Agent.ServiceManager;

namespace ResticManager.Agent.Installation;

/// <summary>
/// Where the packages and install scripts put the agent (ADR 0017), so <c>run</c> and <c>enroll</c> can default
/// <c>--config</c> to the folder the service uses: Linux <c>/etc/resticmanager-agent</c>, Windows
/// <c>%ProgramData%\ResticManager Agent</c> (the common application data folder, not a fixed C:).
/// </summary>
public sealed record InstalledLayout(string ConfigDirectory, string ServiceName)
{
    /// <summary>The systemd unit's name without <c>.service</c>, and the Windows service's.</summary>
    public const string AgentServiceName = ServiceManagers.WindowsServiceName;
    public const string WindowsFolderName = "ResticManager Agent";
    public const string LinuxConfigDirectory = "/etc/resticmanager-agent";

    public static InstalledLayout ForThisMachine() => OperatingSystem.IsWindows()
        ? ForWindows(Environment.GetFolderPath(Environment.SpecialFolder.CommonApplicationData))
        : ForLinux();

    public static InstalledLayout ForLinux() => new(LinuxConfigDirectory, AgentServiceName);

    /// <param name="programData">The common application data folder (<c>C:\ProgramData</c> on a default install).</param>
    public static InstalledLayout ForWindows(string programData) =>
        // Joined by hand with '\' so the Windows layout reads the same when computed (and tested) elsewhere.
        new(programData.TrimEnd('\\', '/') + "\\" + WindowsFolderName, AgentServiceName);
}
