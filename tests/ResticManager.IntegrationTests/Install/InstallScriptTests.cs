using System.Security.Cryptography;
using System.Text.Json;

namespace ResticManager.IntegrationTests;

/// <summary>
/// The must-show of the one-line install: the script the server serves, run as root into a prefix (so the
/// machine's /usr and /etc stay untouched) without starting systemd, refuses a corrupted download, installs and
/// enrolls; the installed binary connects and backs up; a second run upgrades in place and keeps the agent id.
/// </summary>
public sealed class InstallScriptTests(ITestOutputHelper output)
{
    const string Platform = "linux-x64";
    const UnixFileMode Mode0700 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    const UnixFileMode Mode0755 = Mode0700 | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    [Fact]
    public async Task The_script_refuses_a_corrupted_build_then_installs_enrolls_and_backs_up_and_run_again_upgrades_keeping_the_agent_id()
    {
        Assert.True(Environment.UserName == "root", "the install script installs as root: run this test as root");
        using var builds = new TempDirectory("rm-agent-builds");
        foreach (var file in Directory.GetFiles(PackagedBuilds.AgentBuilds))
        {
            File.Copy(file, Path.Combine(builds.Path, Path.GetFileName(file)));
        }

        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string> { ["Install:AgentBuildsPath"] = builds.Path });
        using var prefix = new TempDirectory("rm-install-prefix");
        using var work = new TempDirectory("rm-install-work");
        var agents = new List<ChildProcess>();
        try
        {
            await output.DumpOnFailureAsync(() => InstallBackUpAndUpgrade(server, builds, prefix, work, agents.Add),
                () => server.Process, () => agents.LastOrDefault());
        }
        finally
        {
            foreach (var agent in agents)
            {
                await agent.DisposeAsync();
            }
        }
    }

    async Task InstallBackUpAndUpgrade(ServerProcess server, TempDirectory builds, TempDirectory prefix, TempDirectory work, Action<ChildProcess> started)
    {
        var served = Path.Combine(builds.Path, Path.GetFileName(PackagedBuilds.Agent(Platform)));
        var original = await File.ReadAllBytesAsync(served);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(original));
        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(builds.Path, "builds.json")));
        var version = manifest.RootElement.GetProperty("version").GetString()!;
        var binary = prefix.Combine("usr", "local", "bin", "resticmanager-agent");
        var config = prefix.Combine("etc", "resticmanager-agent");
        var unit = prefix.Combine("etc", "systemd", "system", "resticmanager-agent.service");
        var token = await server.CreateEnrollmentTokenAsync();

        // (a) The build changes on disk after the server hashed it: the script sees a download that is not what
        // the server vouched for, and installs nothing.
        var corrupted = original.ToArray();
        corrupted[corrupted.Length / 2] ^= 0xFF;
        await File.WriteAllBytesAsync(served, corrupted);
        var refused = await InstallScript.RunAsync(server, "--token", token, "--prefix", prefix.Path, "--no-start");
        output.WriteLine("corrupted download:\n" + refused.Output);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"SHA-256 mismatch: expected {sha256}, got {Convert.ToHexStringLower(SHA256.HashData(corrupted))}; nothing installed", refused.Output);
        Assert.False(File.Exists(binary));
        Assert.False(Directory.Exists(config));
        Assert.False(File.Exists(unit));
        Assert.Empty(Directory.Exists(Path.GetDirectoryName(binary)) ? Directory.GetFileSystemEntries(Path.GetDirectoryName(binary)!) : []);
        await File.WriteAllBytesAsync(served, original);

        // (b) Installs, enrolls, writes the unit; the installed binary connects and backs up for real.
        var installed = await InstallScript.RunAsync(server, "--token", token, "--prefix", prefix.Path, "--no-start", "--hostname", "installed-host");
        output.WriteLine("install:\n" + installed.Output);
        Assert.Equal(0, installed.ExitCode);
        Assert.DoesNotContain(token, installed.Output);
        Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(binary))));
        Assert.Equal(Mode0755, File.GetUnixFileMode(binary));
        Assert.Equal(Mode0700, File.GetUnixFileMode(config));
        var unitText = await File.ReadAllTextAsync(unit);
        Assert.Contains("ExecStart=/usr/local/bin/resticmanager-agent run --config /etc/resticmanager-agent", unitText);
        Assert.DoesNotContain("ExecStart=/usr/bin/", unitText);
        var agentId = AgentIdIn(config);

        var agent = StartInstalled(binary, config);
        started(agent);
        await server.WaitForStatusAsync(agentId, "online", TimeSpan.FromSeconds(30));
        var repository = work.Combine("repo");
        await server.BindRepositoryAsync(agentId, repository, "install-password");
        Assert.Equal("succeeded", (await server.WaitForInitJobAsync(agentId, TimeSpan.FromSeconds(60))).GetProperty("status").GetString());
        var source = work.Combine("src");
        Restic.WriteRandomFiles(source, 3, 4096);
        var backup = await server.WaitForJobAsync(await server.CreateJobAsync(agentId, new { kind = "backup", paths = new[] { source } }), TimeSpan.FromMinutes(1));
        Assert.Equal("succeeded", backup.GetProperty("status").GetString());
        var snapshot = Assert.Single(await Restic.SnapshotsAsync(repository, "install-password"));
        Assert.Equal("installed-host", snapshot.Hostname);

        // (c) An older build is installed (the bytes differ) and stopped: run again, without a token.
        agent.Signal(ChildProcess.SIGTERM);
        await agent.WaitForExitAsync(TimeSpan.FromSeconds(30));
        await server.WaitForStatusAsync(agentId, "offline", TimeSpan.FromSeconds(20));
        await using (var stream = new FileStream(binary, FileMode.Append))
        {
            await stream.WriteAsync(new byte[] { 1, 2, 3, 4 });
        }

        var older = await File.ReadAllBytesAsync(binary);
        Assert.NotEqual(sha256, Convert.ToHexStringLower(SHA256.HashData(older)));

        // A corrupted download refuses the upgrade and leaves the installed binary exactly as it was.
        await File.WriteAllBytesAsync(served, corrupted);
        var refusedUpgrade = await InstallScript.RunAsync(server, "--prefix", prefix.Path, "--no-start");
        Assert.Equal(1, refusedUpgrade.ExitCode);
        Assert.Contains("SHA-256 mismatch", refusedUpgrade.Output);
        Assert.Equal(older, await File.ReadAllBytesAsync(binary));
        await File.WriteAllBytesAsync(served, original);

        var upgraded = await InstallScript.RunAsync(server, "--prefix", prefix.Path, "--no-start");
        output.WriteLine("upgrade:\n" + upgraded.Output);
        Assert.Equal(0, upgraded.ExitCode);
        Assert.Contains("upgrading ", upgraded.Output);
        Assert.Contains($" -> {version}", upgraded.Output);
        Assert.Contains("keeping the enrollment", upgraded.Output);
        Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(binary))));
        Assert.Equal(agentId, AgentIdIn(config));
        using (var hosts = JsonDocument.Parse(await server.Api.GetStringAsync("/api/hosts?limit=100")))
        {
            var only = Assert.Single(hosts.RootElement.GetProperty("items").EnumerateArray());
            Assert.Equal(agentId, only.GetProperty("id").GetString());
        }

        var again = StartInstalled(binary, config);
        started(again);
        await server.WaitForStatusAsync(agentId, "online", TimeSpan.FromSeconds(30));
    }

    static ChildProcess StartInstalled(string binary, string config) =>
        ChildProcess.Start("installed-agent", binary, ["run", "--config", config, "--Agent:HeartbeatIntervalSeconds", "1", "--Agent:MaxBackoffSeconds", "5"]);

    static string AgentIdIn(string config)
    {
        using var agentJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(config, "agent.json")));
        return agentJson.RootElement.GetProperty("agentId").GetString()!;
    }
}
