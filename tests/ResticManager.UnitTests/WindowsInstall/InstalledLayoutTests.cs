using ResticManager.Agent.Installation;

namespace ResticManager.UnitTests.WindowsInstall;

public sealed class InstalledLayoutTests
{
    [Fact]
    public void Windows_keeps_the_config_under_program_data_and_linux_under_etc()
    {
        Assert.Equal(@"C:\ProgramData\ResticManager Agent", InstalledLayout.ForWindows(@"C:\ProgramData").ConfigDirectory);
        Assert.Equal(@"D:\Data\ResticManager Agent", InstalledLayout.ForWindows(@"D:\Data\").ConfigDirectory);
        Assert.Equal("/etc/resticmanager-agent", InstalledLayout.ForLinux().ConfigDirectory);
        Assert.Equal("resticmanager-agent", InstalledLayout.ForWindows(@"C:\ProgramData").ServiceName);
        Assert.Equal(OperatingSystem.IsWindows() ? InstalledLayout.ForWindows(Environment.GetFolderPath(Environment.SpecialFolder.CommonApplicationData)) : InstalledLayout.ForLinux(),
            InstalledLayout.ForThisMachine());
    }
}
