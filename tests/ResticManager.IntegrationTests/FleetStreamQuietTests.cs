using System.Globalization;

namespace ResticManager.IntegrationTests;

/// <summary>
/// The fleet stream says each thing once per connection: every publish costs the broker a match against every
/// session (thousands of agents), so a refresh republishes only what changed or ages, while a change still goes out.
/// </summary>
public sealed class FleetStreamQuietTests : IAsyncLifetime
{
    const string Reader = "dashboard";
    const string ReaderPassword = "reader-secret-0815";

    ServerProcess server = null!;
    AgentProcess agent = null!;

    public async Task InitializeAsync()
    {
        server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["Mqtt:Readers:0:Username"] = Reader,
            ["Mqtt:Readers:0:Password"] = ReaderPassword,
            ["FleetStream:RefreshInterval"] = "00:00:01",
        });
        agent = await AgentProcess.EnrollAsync(server, "fleet-quiet-host");
        agent.Start();
        await server.WaitForStatusAsync(agent.AgentId, "online", TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        await agent.DisposeAsync();
        await server.DisposeAsync();
    }

    [Fact]
    public async Task A_host_that_never_backed_up_is_not_republished_by_each_refresh_but_its_going_offline_is()
    {
        var topics = new[] { $"rm/v1/fleet/hosts/{agent.AgentId}/state", $"rm/v1/fleet/hosts/{agent.AgentId}/availability" };
        await Eventually.HoldsAsync(async () => (await ReceiveAsync(topics, seconds: 3)).Count == 2, TimeSpan.FromSeconds(30), "the host's state and availability are retained");

        // Six refreshes go by: the retained pair, and nothing after it (no age grows without a backup).
        var received = await ReceiveAsync(topics, seconds: 6);
        Assert.Equal(2, received.Count);
        Assert.Contains(received, line => line.StartsWith(topics[1] + " online", StringComparison.Ordinal));

        await using var subscriber = ChildProcess.Start("mosquitto_sub", "stdbuf", ["-oL", "mosquitto_sub", .. ReaderArgs(), "-q", "1", "-v", "-W", "60", "-t", topics[1]]);
        await Eventually.HoldsAsync(() => subscriber.OutputContains(topics[1] + " online"), TimeSpan.FromSeconds(20), "the reader has the retained availability");
        await agent.KillAsync();
        await Eventually.HoldsAsync(() => subscriber.OutputContains(topics[1] + " offline"), TimeSpan.FromSeconds(60), "the host going offline is on the stream");
        subscriber.Signal(ChildProcess.SIGTERM);
    }

    /// <summary>Every message on the topics for <paramref name="seconds"/>, retained ones first.</summary>
    async Task<List<string>> ReceiveAsync(string[] topics, int seconds)
    {
        await using var subscriber = ChildProcess.Start("mosquitto_sub", "mosquitto_sub",
            [.. ReaderArgs(), "-q", "1", "-v", "-W", seconds.ToString(CultureInfo.InvariantCulture), .. topics.SelectMany(t => new[] { "-t", t })]);
        await subscriber.WaitForExitAsync(TimeSpan.FromSeconds(seconds + 30));
        return subscriber.Output.Split('\n').Where(line => line.StartsWith("rm/", StringComparison.Ordinal)).ToList();
    }

    string[] ReaderArgs() =>
        ["-V", "mqttv5", "-h", "127.0.0.1", "-p", server.MqttPort.ToString(CultureInfo.InvariantCulture), "-u", Reader, "-P", ReaderPassword];
}
