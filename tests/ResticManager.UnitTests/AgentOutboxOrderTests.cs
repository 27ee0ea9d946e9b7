using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using MQTTnet.Server;
using ResticManager.Agent.Connection;
using ResticManager.Agent.Storage;
using ResticManager.Protocol;

namespace ResticManager.UnitTests;

/// <summary>
/// The agent's outbox against a real MQTTnet broker that answers one event 0x83 ("message rate too high")
/// once: the round stops at that event, nothing after it is sent, and the next round sends it and the rest in
/// the order they were written.
/// </summary>
public sealed class AgentOutboxOrderTests : IAsyncLifetime
{
    const string AgentId = "outbox-order";
    const int Events = 10;
    const int RefusedOnce = 3;

    readonly TempDirectory folder = new();
    readonly ConcurrentQueue<string> taken = new();
    MqttServer broker = null!;
    int port;
    int refusals;

    public async Task InitializeAsync()
    {
        port = FreePort.Next();
        broker = new MqttServerFactory().CreateMqttServer(new MqttServerOptionsBuilder().WithDefaultEndpoint().WithDefaultEndpointPort(port).Build());
        broker.InterceptingPublishAsync += e =>
        {
            using var payload = JsonDocument.Parse(e.ApplicationMessage.Payload);
            var eventId = payload.RootElement.GetProperty("eventId").GetString()!;
            if (eventId == EventId(RefusedOnce) && Interlocked.Increment(ref refusals) == 1)
            {
                e.ProcessPublish = false;
                e.Response.ReasonCode = MqttPubAckReasonCode.ImplementationSpecificError;
                e.Response.ReasonString = "message rate too high";
            }
            else
            {
                taken.Enqueue(eventId);
            }

            return Task.CompletedTask;
        };
        await broker.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await broker.StopAsync();
        broker.Dispose();
        folder.Dispose();
    }

    [Fact]
    public async Task A_round_stops_at_the_first_event_refused_for_rate_and_the_next_round_resumes_from_it_in_order()
    {
        var link = new AgentLink();
        using var outbox = new Outbox(new AgentFiles(folder.Path), link, TimeProvider.System, NullLogger<Outbox>.Instance);
        for (var i = 0; i < Events; i++)
        {
            await outbox.AddAsync(MessageTypes.JobLog, new JobLog(EventId(i), "job-1", i, [new LogLine(i + 1, DateTimeOffset.UtcNow, LogStream.Stdout, "x")]), CancellationToken.None);
        }

        using var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithProtocolVersion(MqttProtocolVersion.V500).WithClientId(AgentId).Build());

        // The reconnect round (started by the connect, not awaited by it): up to the refused event and not one further.
        await link.AttachAsync(client, AgentId);
        await Eventually.HoldsAsync(() => taken.Count >= RefusedOnce, TimeSpan.FromSeconds(15), "the reconnect round sends");
        Assert.Equal(Enumerable.Range(0, RefusedOnce).Select(EventId), taken);

        // A new event waits behind the refused one instead of overtaking it.
        await outbox.AddAsync(MessageTypes.JobLog, new JobLog(EventId(Events), "job-1", Events, [new LogLine(Events + 1, DateTimeOffset.UtcNow, LogStream.Stdout, "x")]), CancellationToken.None);
        Assert.Equal(RefusedOnce, taken.Count);

        // The periodic round (after the pause, long before Outbox.ResendAfter) takes up from the refused event.
        await outbox.StartAsync(CancellationToken.None);
        await Eventually.HoldsAsync(() => taken.Count >= Events + 1, TimeSpan.FromSeconds(15), "the rest is sent");
        await outbox.StopAsync(CancellationToken.None);
        Assert.Equal(Enumerable.Range(0, Events + 1).Select(EventId), taken);
        Assert.Equal(Events + 1, outbox.PendingCount);
    }

    static string EventId(int i) => $"order-{i:D3}";
}
