using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet.Protocol;
using MQTTnet.Server;
using ResticManager.Agent;
using ResticManager.Agent.Connection;
using ResticManager.Agent.Storage;
using ResticManager.Protocol;

namespace ResticManager.UnitTests;

/// <summary>
/// A real agent replaying a large outbox against the embedded server with small per-agent limits: it slows
/// to the server's rate instead of flooding, so its one connection stays up, every event is taken in the
/// order it was written and acknowledged, and its heartbeats still pass.
/// </summary>
public sealed class AgentOutboxRateTests : IAsyncLifetime
{
    const int Events = 200;
    const int AddedDuringReplay = 5;

    readonly TempDirectory config = new();
    InProcessServer server = null!;

    public async Task InitializeAsync() =>
        server = await InProcessServer.StartAsync(null,
            "--Mqtt:AgentMessageBurst", "20", "--Mqtt:AgentMessagesPerSecond", "10", "--Mqtt:AgentFloodThreshold", "30");

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        config.Dispose();
    }

    [Fact]
    public async Task A_large_outbox_is_replayed_at_the_servers_rate_in_order_over_one_connection_and_every_event_is_acknowledged()
    {
        var enrolled = await ScriptedAgent.EnrollAsync(server, "outbox-replay");
        var files = new AgentFiles(config.Path);
        files.SaveConfig(new AgentConfig("http://server", enrolled.AgentId, $"mqtt://127.0.0.1:{ScriptedAgent.MqttPort(server)}", enrolled.AgentId, "outbox-replay", DateTimeOffset.UtcNow));
        files.SaveSecret(enrolled.Password);
        await WriteOutboxAsync(files);

        // What the broker took from this agent, in the order it took it, and how often it let it in.
        var broker = server.App.Services.GetRequiredService<MqttServer>();
        var taken = new ConcurrentQueue<string>();
        var refused = 0;
        var connections = 0;
        var heartbeatsWhileLimited = 0;
        broker.InterceptingPublishAsync += e =>
        {
            if (e.ClientId == enrolled.AgentId && e.ApplicationMessage.Topic == Topics.Event(enrolled.AgentId, MessageTypes.Heartbeat)
                && e.Response.ReasonCode == MqttPubAckReasonCode.Success && Volatile.Read(ref refused) > 0 && !taken.Contains(EventId(Events - 1)))
            {
                Interlocked.Increment(ref heartbeatsWhileLimited);
            }

            if (e.ClientId == enrolled.AgentId && e.ApplicationMessage.Topic == Topics.Event(enrolled.AgentId, MessageTypes.JobLog))
            {
                if (e.Response.ReasonCode == MqttPubAckReasonCode.Success)
                {
                    using var payload = JsonDocument.Parse(e.ApplicationMessage.Payload);
                    taken.Enqueue(payload.RootElement.GetProperty("eventId").GetString()!);
                }
                else
                {
                    Interlocked.Increment(ref refused);
                }
            }

            return Task.CompletedTask;
        };
        broker.ClientConnectedAsync += e =>
        {
            if (e.ClientId == enrolled.AgentId)
            {
                Interlocked.Increment(ref connections);
            }

            return Task.CompletedTask;
        };

        using var agent = await StartAgentAsync(files);
        var outbox = agent.Services.GetRequiredService<Outbox>();

        // Events a running job adds while older ones still wait for the server's rate must not overtake them.
        await Eventually.HoldsAsync(() => refused > 0, TimeSpan.FromSeconds(30), "the replay reaches the limit");
        for (var i = Events; i < Events + AddedDuringReplay; i++)
        {
            await outbox.AddAsync(MessageTypes.JobLog, Log(i), CancellationToken.None);
        }

        await Eventually.HoldsAsync(() => outbox.PendingCount == 0, TimeSpan.FromSeconds(90), "every outbox event is acknowledged");
        await agent.StopAsync();

        Assert.True(refused > 0, "the limit was reached: the test proves nothing otherwise");
        Assert.Equal(1, connections);
        // The replay leaves room in the bucket: the host's heartbeats still get through, it never looks stale.
        Assert.True(heartbeatsWhileLimited >= 2, $"{heartbeatsWhileLimited} heartbeats taken during the replay");
        var firstTaken = taken.Distinct().ToList();
        Assert.Equal(Enumerable.Range(0, Events + AddedDuringReplay).Select(EventId), firstTaken);
        Assert.Empty(Directory.GetFiles(Path.Combine(config.Path, "outbox")));
    }

    static string EventId(int i) => $"replay-{i:D4}";

    /// <summary>Events written while the agent had no connection, as a job run offline leaves them.</summary>
    static async Task WriteOutboxAsync(AgentFiles files)
    {
        using var offline = new Outbox(files, new AgentLink(), TimeProvider.System, NullLogger<Outbox>.Instance);
        for (var i = 0; i < Events; i++)
        {
            await offline.AddAsync(MessageTypes.JobLog, Log(i), CancellationToken.None);
        }

        Assert.Equal(Events, offline.PendingCount);
    }

    static JobLog Log(int i) => new(EventId(i), "job-offline", i, [new LogLine(i + 1, DateTimeOffset.UtcNow, LogStream.Stdout, $"line {i + 1}")]);

    static async Task<IHost> StartAgentAsync(AgentFiles files)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddLogging(l => l.AddSimpleConsole().SetMinimumLevel(LogLevel.Information));
        builder.Services.AddAgent(files);
        builder.Services.Configure<AgentOptions>(o =>
        {
            o.InitialBackoffSeconds = 0.2;
            o.MaxBackoffSeconds = 1;
            o.HeartbeatIntervalSeconds = 2;
        });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}
