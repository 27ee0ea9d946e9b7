using ResticManager.Agent;
using ResticManager.Agent.Storage;

namespace ResticManager.UnitTests;

public sealed class AgentFilesTests
{
    [Fact]
    public void The_mqtt_secret_is_encrypted_at_rest_and_every_file_is_private()
    {
        using var dir = new TempDirectory("rm-agentfiles");
        var files = new AgentFiles(dir.Path);
        var secret = "rma_" + Guid.NewGuid().ToString("N");
        files.SaveSecret(secret);
        files.SaveConfig(new AgentConfig("http://server", "a1", "mqtt://server:1883", "a1", "host", DateTimeOffset.UtcNow));

        Assert.Equal(secret, files.LoadSecret());
        foreach (var file in Directory.GetFiles(dir.Path))
        {
            Assert.DoesNotContain(secret, File.ReadAllText(file));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }
        }

        Assert.True(files.IsEnrolled);
    }

    [Fact]
    public void A_secret_under_another_key_is_a_clear_setup_error()
    {
        using var dir = new TempDirectory("rm-agentfiles");
        var files = new AgentFiles(dir.Path);
        files.SaveSecret("one");
        File.WriteAllBytes(Path.Combine(dir.Path, "agent.key"), new byte[32]);
        var error = Assert.Throws<AgentSetupException>(files.LoadSecret);
        Assert.Contains("enroll again", error.Message);
    }

    [Fact]
    public void The_connection_sequence_grows_across_restarts()
    {
        using var dir = new TempDirectory("rm-agentfiles");
        Assert.Equal(1, new AgentFiles(dir.Path).NextConnectionSeq());
        Assert.Equal(2, new AgentFiles(dir.Path).NextConnectionSeq());
    }
}

public sealed class SystemInfoTests
{
    [Theory]
    [InlineData("restic 0.14.0 compiled with go1.19.8 on linux/amd64", "0.14.0")]
    [InlineData("restic 0.18.1 compiled with go1.24.4 on windows/amd64\n", "0.18.1")]
    [InlineData("restic 0.17.0-dev (compiled manually) compiled with go1.22", "0.17.0-dev")]
    [InlineData("something else", null)]
    public void The_restic_version_is_read_from_its_banner(string output, string? expected) =>
        Assert.Equal(expected, SystemInfo.ParseResticVersion(output));

    [Fact]
    public async Task A_missing_restic_is_reported_as_no_version_not_an_error() =>
        Assert.Null(await SystemInfo.DetectResticVersionAsync("/nonexistent/restic", CancellationToken.None));
}
