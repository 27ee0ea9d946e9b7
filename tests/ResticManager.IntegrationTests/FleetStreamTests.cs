using System.Globalization;
using System.Text.Json;

namespace ResticManager.IntegrationTests;

/// <summary>
/// The open fleet stream as Home Assistant sees it: a read-only user (password hashed by mosquitto's own
/// <c>mosquitto_passwd</c>) reads a real agent's discovery configs and state with <c>mosquitto_sub</c>, and is
/// refused everything else (every agent's prefix, command topics, <c>#</c>, publishing).
/// </summary>
public sealed class FleetStreamTests(FleetStreamTests.Fixture fixture) : IClassFixture<FleetStreamTests.Fixture>
{
    const string Reader = "homeassistant";
    const string ReaderPassword = "reader-secret-4711";

    ServerProcess Server => fixture.Server;

    string AgentId => fixture.Host.Id;

    [Fact]
    public async Task The_reader_receives_the_hosts_discovery_configs_and_state()
    {
        // Retained: subscribing after the host is online still delivers them at once.
        await using var subscriber = ChildProcess.Start("mosquitto_sub", "mosquitto_sub",
        [
            .. ReaderArgs(), "-q", "1", "-v", "-C", "3", "-W", "30",
            "-t", $"homeassistant/+/resticmanager_{AgentId}/+/config", "-t", $"rm/v1/fleet/hosts/{AgentId}/state",
        ]);
        Assert.Equal(0, await subscriber.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        var messages = Messages(subscriber.Output);

        var backupOk = messages[$"homeassistant/binary_sensor/resticmanager_{AgentId}/backup_ok/config"];
        Assert.Equal("Backup OK", backupOk.GetProperty("name").GetString());
        Assert.Equal($"rm/v1/fleet/hosts/{AgentId}/state", backupOk.GetProperty("state_topic").GetString());
        Assert.Equal($"rm/v1/fleet/hosts/{AgentId}/availability", backupOk.GetProperty("availability_topic").GetString());
        Assert.Equal("{{ 'ON' if value_json.backupOk else 'OFF' }}", backupOk.GetProperty("value_template").GetString());
        Assert.Equal($"resticmanager_{AgentId}", backupOk.GetProperty("device").GetProperty("identifiers")[0].GetString());
        Assert.Equal("fleet-stream-host", backupOk.GetProperty("device").GetProperty("name").GetString());
        Assert.Equal("ResticManager", backupOk.GetProperty("device").GetProperty("manufacturer").GetString());

        var age = messages[$"homeassistant/sensor/resticmanager_{AgentId}/last_backup_age/config"];
        Assert.Equal("duration", age.GetProperty("device_class").GetString());
        Assert.Equal("s", age.GetProperty("unit_of_measurement").GetString());
        Assert.Equal("measurement", age.GetProperty("state_class").GetString());
        Assert.NotEqual(backupOk.GetProperty("unique_id").GetString(), age.GetProperty("unique_id").GetString());

        var state = messages[$"rm/v1/fleet/hosts/{AgentId}/state"];
        Assert.Equal(AgentId, state.GetProperty("hostId").GetString());
        Assert.Equal("fleet-stream-host", state.GetProperty("hostname").GetString());
        Assert.Equal("online", state.GetProperty("presence").GetString());
        Assert.True(state.GetProperty("backupOk").GetBoolean());
        var last = state.GetProperty("lastBackup");
        Assert.Equal("succeeded", last.GetProperty("status").GetString());
        Assert.Equal(fixture.BackupJobId, last.GetProperty("jobId").GetString());
        Assert.InRange(last.GetProperty("ageSeconds").GetInt64(), 0, 600);

        // Nothing a reader sees names the repository or its password.
        Assert.DoesNotContain(fixture.Host.Password, subscriber.Output);
        Assert.DoesNotContain(fixture.Host.Repository, subscriber.Output);
    }

    [Fact]
    public async Task The_reader_receives_each_job_state_change_of_the_host()
    {
        // Line-buffered, so the SUBACK shows before the job starts (job changes are not retained).
        await using var subscriber = ChildProcess.Start("mosquitto_sub", "stdbuf",
            ["-oL", "mosquitto_sub", .. ReaderArgs(), "-q", "1", "-v", "-W", "120", "-t", $"rm/v1/fleet/hosts/{AgentId}/jobs"]);
        await Eventually.HoldsAsync(() => subscriber.OutputContains("Subscribed (mid: 1): 1"), TimeSpan.FromSeconds(20), "the reader is subscribed");
        var jobId = await fixture.Host.BackupAsync(fixture.Host.Folder.Path);
        await Server.WaitForJobStatusAsync(jobId, "succeeded", TimeSpan.FromSeconds(120));
        await Eventually.HoldsAsync(() => subscriber.OutputContains($"\"jobId\":\"{jobId}\",\"kind\":\"backup\",\"status\":\"succeeded\""),
            TimeSpan.FromSeconds(30), "the job's success is on the stream");
        Assert.DoesNotContain(fixture.Host.Password, subscriber.Output);
        subscriber.Signal(ChildProcess.SIGTERM);
    }

    [Theory]
    [InlineData("rm/v1/agents/#")]
    [InlineData("rm/v1/agents/{agent}/cmd/#")]
    [InlineData("rm/v1/agents/{agent}/#")]
    [InlineData("rm/v1/agents/+/status")]
    [InlineData("#")]
    [InlineData("+/v1/fleet/#")]
    [InlineData("rm/v1/+/hosts/#")]
    public async Task The_reader_is_refused_every_agents_prefix_command_topics_and_wildcards_across_trees(string filter)
    {
        // mosquitto_sub prints the SUBACK's reason code (135 = not authorized) and, every subscription refused, says so
        // and exits at once with 0 (27 would be the -W timeout of a granted subscription that received nothing).
        await using var subscriber = ChildProcess.Start("mosquitto_sub", "mosquitto_sub",
            [.. ReaderArgs(), "-q", "1", "-v", "-W", "10", "-t", filter.Replace("{agent}", AgentId, StringComparison.Ordinal)]);
        var code = await subscriber.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.Contains("Subscribed (mid: 1): 135", subscriber.Output);
        Assert.Contains("All subscription requests were denied", subscriber.Output);
        Assert.Equal(0, code);
        Assert.DoesNotContain(" {", subscriber.Output);
    }

    [Theory]
    [InlineData("rm/v1/fleet/hosts/{agent}/state")]
    [InlineData("homeassistant/status")]
    [InlineData("rm/v1/agents/{agent}/cmd/job.run")]
    [InlineData("rm/v1/agents/{agent}/evt/heartbeat")]
    public async Task The_reader_may_not_publish(string topic)
    {
        var (_, output) = await Mosquitto.PublishAsync(ReaderArgs(), topic.Replace("{agent}", AgentId, StringComparison.Ordinal), """{"presence":"forged"}""");
        Assert.Contains("received PUBACK (Mid: 1, RC:135)", output);
    }

    [Fact]
    public async Task A_wrong_reader_password_and_a_readers_client_id_that_could_be_an_agents_are_refused()
    {
        var wrong = ReaderArgs();
        wrong[Array.IndexOf(wrong, "-P") + 1] = "not-the-password";
        var (code, output) = await Mosquitto.PublishAsync(wrong, "rm/v1/fleet/x");
        Assert.Contains("received CONNACK (134)", output);
        Assert.NotEqual(0, code);

        // The agent's own id: a reader could otherwise take over the agent's session and its command subscription.
        (code, output) = await Mosquitto.PublishAsync([.. ReaderArgs(), "-i", AgentId], "rm/v1/fleet/x");
        Assert.Contains("received CONNACK (133)", output);
        Assert.NotEqual(0, code);
        Assert.Equal("online", await Server.GetHostStatusAsync(AgentId));
    }

    [Fact]
    public async Task A_revoked_host_disappears_from_the_stream_and_from_home_assistant()
    {
        await using var agent = await AgentProcess.EnrollAsync(Server, "fleet-revoked-host");
        agent.Start();
        await Server.WaitForStatusAsync(agent.AgentId, "online", TimeSpan.FromSeconds(60));
        var retained = new[] { $"rm/v1/fleet/hosts/{agent.AgentId}/#", $"homeassistant/+/resticmanager_{agent.AgentId}/+/config" };
        // The stream follows the REST API by up to FleetStream:CoalesceWindow (changes are gathered per host), so wait for it.
        await Eventually.HoldsAsync(async () => (await RetainedAsync(retained)).Count == 4, TimeSpan.FromSeconds(30), "the host's state, availability and two discovery configs are retained");

        using var revoke = await Server.Api.DeleteAsync($"/api/hosts/{agent.AgentId}");
        Assert.Equal(System.Net.HttpStatusCode.NoContent, revoke.StatusCode);

        // Cleared with empty retained payloads, which also make Home Assistant remove the device's entities.
        await Eventually.HoldsAsync(async () => (await RetainedAsync(retained)).Count == 0, TimeSpan.FromSeconds(30), "the revoked host's retained topics are cleared");
    }

    /// <summary>Every retained message under the filters now: mosquitto_sub's --retained-only stops at the first live one, -W 3 at the end.</summary>
    async Task<Dictionary<string, string>> RetainedAsync(string[] filters)
    {
        await using var subscriber = ChildProcess.Start("mosquitto_sub", "mosquitto_sub",
            [.. ReaderArgs(), "-q", "1", "-v", "-W", "3", "--retained-only", .. filters.SelectMany(f => new[] { "-t", f })]);
        await subscriber.WaitForExitAsync(TimeSpan.FromSeconds(30));
        return subscriber.Output.Split('\n')
            .Where(line => line.StartsWith("rm/", StringComparison.Ordinal) || line.StartsWith("homeassistant/", StringComparison.Ordinal))
            .Select(line => line.Split(' ', 2))
            .ToDictionary(parts => parts[0], parts => parts.Length > 1 ? parts[1] : string.Empty);
    }

    static Dictionary<string, JsonElement> Messages(string output) =>
        output.Split('\n')
            .Select(line => line.Split(' ', 2))
            .Where(parts => parts.Length == 2 && parts[1].StartsWith('{'))
            .ToDictionary(parts => parts[0], parts => JsonDocument.Parse(parts[1]).RootElement.Clone());

    string[] ReaderArgs() =>
        ["-V", "mqttv5", "-h", "127.0.0.1", "-p", Server.MqttPort.ToString(CultureInfo.InvariantCulture), "-u", Reader, "-P", ReaderPassword, "-d"];

    public sealed class Fixture : IAsyncLifetime
    {
        readonly TempDirectory passwords = new("rm-fleet-readers");

        public ServerProcess Server { get; private set; } = null!;

        public JobTestHost Host { get; private set; } = null!;

        public string BackupJobId { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            // The hash as mosquitto writes it: the embedded broker verifies the same $7$ format.
            var file = passwords.Combine("passwords");
            await using (var passwd = ChildProcess.Start("mosquitto_passwd", "mosquitto_passwd", ["-c", "-b", file, Reader, ReaderPassword]))
            {
                Assert.Equal(0, await passwd.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            }

            var hash = (await File.ReadAllTextAsync(file)).Trim().Split(':', 2)[1];
            Server = await ServerProcess.StartAsync(new Dictionary<string, string>
            {
                ["Mqtt:Readers:0:Username"] = Reader,
                ["Mqtt:Readers:0:PasswordHash"] = hash,
                ["FleetStream:RefreshInterval"] = "00:00:01",
            });
            // A real repository and one real backup: the state then carries a last backup.
            Host = await JobTestHost.StartAsync(Server, "fleet-stream-host");
            await File.WriteAllTextAsync(Host.Folder.Combine("data.txt"), "fleet stream");
            BackupJobId = await Host.BackupAsync(Host.Folder.Combine("data.txt"));
            await Server.WaitForJobStatusAsync(BackupJobId, "succeeded", TimeSpan.FromSeconds(120));
        }

        public async Task DisposeAsync()
        {
            await Host.DisposeAsync();
            await Server.DisposeAsync();
            passwords.Dispose();
        }
    }
}
