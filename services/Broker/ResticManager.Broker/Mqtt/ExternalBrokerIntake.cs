using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using MQTTnet;
using ResticManager.Protocol;

namespace ResticManager.Broker;

/// <summary>
/// How the bridge takes agent messages from an external broker's client. MQTTnet hands a client's messages to its
/// handler one at a time and waits for each; awaiting every bus publish there (a RabbitMQ publisher confirm is about a
/// millisecond) would cap the whole fleet at about a thousand messages a second. Here each message goes to one of
/// <see cref="Lanes"/> lanes by its agent, so one agent's messages stay in their order (its status, hello and
/// heartbeats carry connection sequences, but an online and the will's offline of one connection share theirs) while
/// agents proceed in parallel. A QoS 1 message is acknowledged to the broker only after the bus accepted it (or it
/// was refused as bad input, or the bus failed and the agent's outbox will send it again), and acknowledgements go out
/// in the order the messages came, as MQTT asks of a client. At most <see cref="ExternalBrokerOptions.MaxInFlight"/>
/// messages are between receipt and acknowledgement: beyond that the handler waits, and the broker's flow control
/// holds the rest.
/// </summary>
sealed class ExternalBrokerIntake : IAsyncDisposable
{
    public const int Lanes = 64;

    readonly AgentBridge bridge;
    readonly BridgeBacklog backlog;
    readonly ILogger logger;
    readonly SemaphoreSlim slots;
    readonly Channel<Pending>[] lanes = new Channel<Pending>[Lanes];
    readonly Channel<Pending> arrivals = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    readonly CancellationTokenSource stopping = new();
    readonly Task[] workers;

    public ExternalBrokerIntake(AgentBridge bridge, BridgeBacklog backlog, int maxInFlight, ILogger logger)
    {
        this.bridge = bridge;
        this.backlog = backlog;
        this.logger = logger;
        slots = new SemaphoreSlim(maxInFlight, maxInFlight);
        workers = new Task[Lanes + 1];
        for (var i = 0; i < Lanes; i++)
        {
            var lane = lanes[i] = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
            workers[i] = Task.Run(() => ForwardAsync(lane.Reader));
        }

        workers[Lanes] = Task.Run(AcknowledgeInOrderAsync);
    }

    /// <summary>The client's message handler: returns once the message is queued (or waits for room).</summary>
    public async Task ReceiveAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        if (!Topics.TryParse(e.ApplicationMessage.Topic, out var agentId, out _))
        {
            // Not an agent's topic (the subscriptions make this a broker's mistake): acknowledged and dropped.
            return;
        }

        await slots.WaitAsync(stopping.Token);
        e.AutoAcknowledge = false;
        var pending = new Pending(e, agentId, backlog.Enter());
        // Unbounded writers never refuse while open; the slots bound what they hold.
        arrivals.Writer.TryWrite(pending);
        lanes[Lane(agentId)].Writer.TryWrite(pending);
    }

    static int Lane(string agentId) => (int)((uint)StringComparer.Ordinal.GetHashCode(agentId) % Lanes);

    async Task ForwardAsync(ChannelReader<Pending> lane)
    {
        await foreach (var pending in lane.ReadAllAsync())
        {
            try
            {
                var message = pending.Received.ApplicationMessage;
                await bridge.ForwardAsync(pending.AgentId, message.Topic, message.Payload, stopping.Token);
            }
            catch (Exception ex)
            {
                // ForwardAsync answers bad input and bus failures itself; this is shutdown or a bug, never the end of the lane.
                logger.LogDebug(ex, "Forwarding a message of {AgentId} stopped", pending.AgentId);
            }
            finally
            {
                pending.Forwarded.TrySetResult();
            }
        }
    }

    async Task AcknowledgeInOrderAsync()
    {
        await foreach (var pending in arrivals.Reader.ReadAllAsync())
        {
            try
            {
                await pending.Forwarded.Task;
                await pending.Received.AcknowledgeAsync(stopping.Token);
            }
            catch (Exception ex)
            {
                // The connection it came on is gone: the broker sends the message again (or, with a clean session, the
                // agent's outbox does), so there is nothing to acknowledge any more.
                logger.LogDebug(ex, "Could not acknowledge a message of {AgentId}", pending.AgentId);
            }
            finally
            {
                pending.Backlog.Dispose();
                slots.Release();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        arrivals.Writer.TryComplete();
        foreach (var lane in lanes)
        {
            lane.Writer.TryComplete();
        }

        await stopping.CancelAsync();
        try
        {
            await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            // A bus publish that ignores cancellation: left to finish on its own, the process is stopping.
        }
    }

    sealed record Pending(MqttApplicationMessageReceivedEventArgs Received, string AgentId, BridgeBacklog.Entry Backlog)
    {
        public TaskCompletionSource Forwarded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
