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
    [InlineData("enroll", "--server", "http://server:8080", "--token", "", "--config", "/tmp/x")]
    [InlineData("enroll", "--server", "not a url", "--token", "t", "--config", "/tmp/x")]
    [InlineData("enroll", "--server", "ftp://server", "--token", "t", "--config", "/tmp/x")]
    public async Task Usage_errors_exit_with_2(params string[] args) =>
        Assert.Equal(ExitCodes.Usage, await AgentCli.RunAsync(args, NoEnvironment));

    [Fact]
    public async Task Enroll_without_a_token_anywhere_is_a_usage_error_even_with_an_empty_variable() =>
        Assert.Equal(ExitCodes.Usage, await AgentCli.RunAsync(["enroll", "--server", "http://server:8080", "--config", "/tmp/x"],
            name => name == AgentCli.EnrollTokenVariable ? "" : null));

    [Fact]
    public void Enroll_takes_the_token_from_the_environment_when_the_command_line_has_none()
    {
        var parsed = AgentCli.Build(name => name == AgentCli.EnrollTokenVariable ? "from-env" : null)
            .Parse(["enroll", "--server", "http://server:8080", "--config", "/tmp/x"]);

        Assert.Empty(parsed.Errors);
        Assert.Equal("from-env", parsed.GetValue<string>("--token"));
    }

    [Fact]
    public void Enroll_prefers_the_token_on_the_command_line()
    {
        var parsed = AgentCli.Build(name => name == AgentCli.EnrollTokenVariable ? "from-env" : null)
            .Parse(["enroll", "--server", "http://server:8080", "--token", "from-args", "--config", "/tmp/x"]);

        Assert.Empty(parsed.Errors);
        Assert.Equal("from-args", parsed.GetValue<string>("--token"));
    }

    [Fact]
    public void Enroll_help_names_the_token_variable()
    {
        var output = new StringWriter();
        AgentCli.Build(NoEnvironment).Parse(["enroll", "--help"]).Invoke(new System.CommandLine.InvocationConfiguration { Output = output });

        Assert.Contains(AgentCli.EnrollTokenVariable, output.ToString());
    }

    static string? NoEnvironment(string name) => null;

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
