using System.Globalization;
using Microsoft.Extensions.Configuration;
using ResticManager.Inventory;

namespace ResticManager.UnitTests;

/// <summary>
/// The external-broker mode with a real mosquitto reading the files the inventory writes: a reader reads the fleet
/// stream the bridge's user publishes, and nothing of the agents, and publishes nothing. mosquitto 2.0 grants a
/// subscription its ACL denies and then delivers nothing on it, so that is what is checked there.
/// </summary>
public sealed class FleetMosquittoTests
{
    const string AgentId = "01jd4m3v9ck1x2y3z4a5b6c7d8";

    [Fact]
    public async Task A_reader_reads_the_fleet_stream_through_mosquitto_and_nothing_of_the_agents()
    {
        await using var database = await SqliteTestDatabase<InventorySqliteDbContext>.CreateAsync("inventory");
        await using (var db = database.Open())
        {
            db.Hosts.Add(new Host
            {
                Id = AgentId, Hostname = "h", Os = "linux", Arch = "amd64", Status = HostStatus.Online,
                CredentialHash = "x", BrokerPasswordHash = MosquittoFiles.HashPassword("agent-pw"),
            });
            await db.SaveChangesAsync();
        }

        using var folder = new TempDirectory("rm-fleet-mosquitto");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mqtt:Readers:0:Username"] = "homeassistant",
            ["Mqtt:Readers:0:Password"] = "reader-pw",
        }).Build();
        await using (var db = database.Open())
        {
            Assert.Equal(1, await MosquittoFiles.WriteAsync(db, folder.Path, "rm-bridge", "bridge-pw", CancellationToken.None, configuration));
        }

        var passwords = await File.ReadAllTextAsync(folder.Combine("passwords"));
        Assert.Matches(@"(?m)^homeassistant:\$7\$101\$", passwords);
        Assert.DoesNotContain("reader-pw", passwords);
        var acl = await File.ReadAllTextAsync(folder.Combine("acl"));
        Assert.Contains("user homeassistant\ntopic read rm/v1/fleet/#\ntopic read homeassistant/#\n", acl.ReplaceLineEndings("\n"));

        var port = FreePort.Next();
        await File.WriteAllTextAsync(folder.Combine("mosquitto.conf"), $"""
            user root
            allow_anonymous false
            password_file {folder.Combine("passwords")}
            acl_file {folder.Combine("acl")}
            persistence false
            log_dest stderr
            listener {port} 127.0.0.1

            """);
        await using var mosquitto = ChildProcess.Start("mosquitto", File.Exists("/usr/sbin/mosquitto") ? "/usr/sbin/mosquitto" : "mosquitto", ["-c", folder.Combine("mosquitto.conf")]);
        await Eventually.HoldsAsync(() => mosquitto.OutputContains("running"), TimeSpan.FromSeconds(20), "mosquitto starts");

        string[] As(string user, string password) =>
            ["-V", "mqttv5", "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-u", user, "-P", password, "-d"];

        Assert.Contains("RC:16", await PublishAsync([.. As("rm-bridge", "bridge-pw"), "-r"], "rm/v1/fleet/hosts/" + AgentId + "/state", """{"presence":"online"}"""));
        Assert.Contains("RC:16", await PublishAsync([.. As("rm-bridge", "bridge-pw"), "-r"], $"homeassistant/sensor/resticmanager_{AgentId}/last_backup_age/config", "{}"));
        Assert.Contains("RC:16", await PublishAsync([.. As(AgentId, "agent-pw"), "-i", AgentId, "-r"], $"rm/v1/agents/{AgentId}/status", """{"state":"online"}"""));

        var stream = await SubscribeAsync(As("homeassistant", "reader-pw"), "rm/v1/fleet/#", "homeassistant/#");
        Assert.Contains($"rm/v1/fleet/hosts/{AgentId}/state {{\"presence\":\"online\"}}", stream);
        Assert.Contains($"homeassistant/sensor/resticmanager_{AgentId}/last_backup_age/config {{}}", stream);

        var agents = await SubscribeAsync(As("homeassistant", "reader-pw"), "rm/v1/agents/#", "#");
        Assert.DoesNotContain("rm/v1/agents/", agents.Split('\n').Where(l => !l.StartsWith("Client ", StringComparison.Ordinal)));
        Assert.Contains("RC:135", await PublishAsync(As("homeassistant", "reader-pw"), "rm/v1/fleet/hosts/" + AgentId + "/state", "forged"));
        Assert.Contains("RC:135", await PublishAsync(As("homeassistant", "reader-pw"), $"rm/v1/agents/{AgentId}/cmd/job.run", "{}"));
    }

    static async Task<string> PublishAsync(string[] connect, string topic, string message)
    {
        await using var pub = ChildProcess.Start("mosquitto_pub", "mosquitto_pub", [.. connect, "-q", "1", "-t", topic, "-m", message]);
        await pub.WaitForExitAsync(TimeSpan.FromSeconds(30));
        return pub.Output;
    }

    /// <summary>Every retained message under the filters (-W 3 ends it).</summary>
    static async Task<string> SubscribeAsync(string[] connect, params string[] filters)
    {
        await using var sub = ChildProcess.Start("mosquitto_sub", "mosquitto_sub", [.. connect, "-q", "1", "-v", "-W", "3", .. filters.SelectMany(f => new[] { "-t", f })]);
        await sub.WaitForExitAsync(TimeSpan.FromSeconds(30));
        return sub.Output;
    }
}
