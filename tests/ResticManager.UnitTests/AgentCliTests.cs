using ResticManager.Agent.Cli;
using ResticManager.Agent.Installation;

namespace ResticManager.UnitTests;

public sealed class AgentCliTests
{
    [Fact]
    public async Task Run_refuses_a_missing_config_folder_without_creating_it()
    {
        using var dir = new TempDirectory("rm-cli");
        var missing = dir.Combine("not-enrolled-here");

        Assert.Equal(ExitCodes.SetupError, await AgentCli.RunAsync(["run", "--config", missing]));
        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    public async Task Run_refuses_a_folder_without_an_enrollment_and_writes_nothing_into_it()
    {
        using var dir = new TempDirectory("rm-cli");

        Assert.Equal(ExitCodes.SetupError, await AgentCli.RunAsync(["run", "--config", dir.Path, "--Agent:HeartbeatIntervalSeconds", "1"]));
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    [Theory]
    [InlineData]
    [InlineData("frobnicate")]
    [InlineData("enroll", "--server", "http://server:8080", "--config", "/tmp/x")]
    [InlineData("enroll", "--token", "t")]
    [InlineData("enroll", "--server", "not a url", "--token", "t", "--config", "/tmp/x")]
    [InlineData("enroll", "--server", "ftp://server", "--token", "t", "--config", "/tmp/x")]
    public async Task Usage_errors_exit_with_2(params string[] args) =>
        Assert.Equal(ExitCodes.Usage, await AgentCli.RunAsync(args));

    [Theory]
    [InlineData("--help")]
    [InlineData("run", "--help")]
    [InlineData("version")]
    public async Task Help_and_version_exit_with_0(params string[] args) =>
        Assert.Equal(ExitCodes.Ok, await AgentCli.RunAsync(args));

    [Fact]
    public void Run_hands_the_settings_it_does_not_know_to_the_host_configuration()
    {
        var parsed = AgentCli.Build().Parse(["run", "--config", "/etc/restic-manager", "--Agent:HeartbeatIntervalSeconds", "1", "--Agent:AllowHooks", "false"]);

        Assert.Empty(parsed.Errors);
        Assert.Equal(["--Agent:HeartbeatIntervalSeconds", "1", "--Agent:AllowHooks", "false"], parsed.UnmatchedTokens);
    }

    [Theory]
    [InlineData("run")]
    [InlineData("enroll", "--server", "http://server:8080", "--token", "t")]
    public void Without_config_the_installed_folder_is_used(params string[] args)
    {
        var parsed = AgentCli.Build().Parse(args);

        Assert.Empty(parsed.Errors);
        var config = parsed.CommandResult.Command.Options.Single(o => o.Name == "--config");
        Assert.Equal(InstalledLayout.ForThisMachine().ConfigDirectory, parsed.GetValue<string>(config.Name));
        Assert.Equal("/etc/resticmanager-agent", InstalledLayout.ForThisMachine().ConfigDirectory);
    }
}
