using System.Security.Cryptography;
using System.Text.Json;

namespace ResticManager.IntegrationTests;

/// <summary>
/// The external-broker mode against Debian's mosquitto: the bridge is a client with a shared
/// subscription, agents authenticate with the password file and are confined by the ACL file that
/// the inventory writes (ResticManager.Inventory.Host mosquitto-files).
/// </summary>
public sealed class ExternalBrokerTests(ITestOutputHelper output) : IAsyncLifetime
{
    readonly TempDirectory mosquittoFolder = new("rm-mosquitto");
    readonly int mosquittoPort = FreePort.Next();
    readonly string bridgePassword = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
    ServerProcess server = null!;
    ChildProcess mosquitto = null!;
    int reloads;

    public async Task InitializeAsync()
    {
        server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["Mqtt:Mode"] = "External",
            ["Mqtt:External:Url"] = $"mqtt://127.0.0.1:{mosquittoPort}",
            ["Mqtt:External:Username"] = "rm-bridge",
            ["Mqtt:External:Password"] = bridgePassword,
            ["Inventory:MqttPublicUrl"] = $"mqtt://127.0.0.1:{mosquittoPort}",
        });
        await WriteBrokerFilesAsync();
        await File.WriteAllTextAsync(mosquittoFolder.Combine("mosquitto.conf"), $"""
            user root
            per_listener_settings false
            allow_anonymous false
            password_file {mosquittoFolder.Combine("passwords")}
            acl_file {mosquittoFolder.Combine("acl")}
            persistence false
            log_dest stderr
            listener {mosquittoPort} 127.0.0.1

            """);
        // Debian installs the broker in /usr/sbin, which a non-login PATH may lack.
        var broker = File.Exists("/usr/sbin/mosquitto") ? "/usr/sbin/mosquitto" : "mosquitto";
        mosquitto = ChildProcess.Start("mosquitto", broker, ["-c", mosquittoFolder.Combine("mosquitto.conf")]);
        await Eventually.HoldsAsync(() => server.Process!.OutputContains("Bridge connected to the broker"), TimeSpan.FromSeconds(60),
            "the bridge connects to mosquitto");
    }

    /// <summary>The project's command writes the files; mosquitto reloads them on SIGHUP.</summary>
    async Task WriteBrokerFilesAsync()
    {
        await using var command = ChildProcess.StartDotnet("mosquitto-files", "ResticManager.Inventory.Host",
            ["mosquitto-files", "--out", mosquittoFolder.Path, "--bridge-user", "rm-bridge", "--bridge-password", bridgePassword, "--Data:Path", server.DataPath]);
        Assert.True(await command.WaitForExitAsync(TimeSpan.FromMinutes(1)) == 0, command.Output);
        if (mosquitto is { HasExited: false })
        {
            var expected = ++reloads;
            mosquitto.Signal(ChildProcess.SIGHUP);
            await Eventually.HoldsAsync(() => mosquitto.CountLines("Reloading config") >= expected, TimeSpan.FromSeconds(10), "mosquitto reloads");
        }
    }

    public async Task DisposeAsync()
    {
        if (mosquitto is not null)
        {
            await mosquitto.DisposeAsync();
        }

        if (server is not null)
        {
            await server.DisposeAsync();
        }

        mosquittoFolder.Dispose();
    }

    [Fact]
    public async Task An_agent_on_mosquitto_enrolls_goes_online_backs_up_and_its_snapshot_is_listed()
    {
        await using var host = await JobTestHost.StartAsync(server, "mosquitto-host", beforeStart: _ => WriteBrokerFilesAsync());
        await output.DumpOnFailureAsync(async () =>
        {
            var source = host.Folder.Combine("src");
            Restic.WriteRandomFiles(source, 3, 100_000);
            var job = await server.WaitForJobAsync(await host.BackupAsync(source), TimeSpan.FromMinutes(1));
            Assert.Equal("succeeded", job.GetProperty("status").GetString());
            var snapshot = Assert.Single(await Restic.SnapshotsAsync(host.Repository, host.Password));
            await Eventually.HoldsAsync(async () => (await server.SnapshotShortIdsAsync(host.Id)).SequenceEqual([snapshot.ShortId]),
                TimeSpan.FromSeconds(30), "the snapshot is listed");

            // Browsing asks the agent through mosquitto too: the snapshots service is a client with the bridge's user.
            using var tree = JsonDocument.Parse(await server.Api.GetStringAsync($"/api/hosts/{host.Id}/snapshots/{snapshot.ShortId}/tree?path={Uri.EscapeDataString(source)}"));
            Assert.Equal(["file-00000.bin", "file-00001.bin", "file-00002.bin"], tree.RootElement.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("name").GetString()));

            await host.Agent.KillAsync();
            await server.WaitForStatusAsync(host.Id, "offline", TimeSpan.FromSeconds(20));
        }, () => server.Process, () => mosquitto, () => host.Agent.Process);
    }

    [Fact]
    public async Task Mosquitto_refuses_wrong_passwords_and_keeps_each_agent_under_its_own_prefix()
    {
        var mine = await AgentCredentials.EnrollAsync(server, "mosquitto-mine");
        var theirs = await AgentCredentials.EnrollAsync(server, "mosquitto-theirs");
        await WriteBrokerFilesAsync();

        var (_, refused) = await Mosquitto.PublishAsync(Mosquitto.ConnectArgs(mosquittoPort, mine.AgentId, "wrong"), mine.Prefix + "evt/x");
        // mosquitto answers a wrong password with 0x87 Not authorized (MQTTnet's gate says 0x86).
        Assert.Matches(@"received CONNACK \((134|135)\)", refused);
        var connect = Mosquitto.ConnectArgs(mosquittoPort, mine.AgentId, mine.Password);
        var (_, own) = await Mosquitto.PublishAsync(connect, mine.Prefix + "scratch/x", "hello");
        Assert.Matches(@"received PUBACK \(Mid: 1, RC:(0|16)\)", own);
        var (_, foreign) = await Mosquitto.PublishAsync(connect, theirs.Prefix + "evt/heartbeat", "{}");
        Assert.Contains("received PUBACK (Mid: 1, RC:135)", foreign);
    }
}
