using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Options;
using ResticManager.ServiceDefaults;

namespace ResticManager.Broker;

/// <summary>
/// How long agents wait for the server's acknowledgement of their QoS 1 events: from the bridge forwarding an event to
/// the bus to the <c>Acknowledge</c> command naming it passing back through the bridge. An agent sends an unacknowledged
/// event again after 30 s, so a latency approaching that means duplicate work is coming; past
/// <see cref="LagOptions.AckLatency"/> the log says so, once a minute. The forwarded times are kept for at most
/// <see cref="Capacity"/> forwards, oldest forgotten first: events whose acknowledgement goes to another broker replica,
/// or never comes, cannot grow the map.
/// </summary>
public sealed class AckLatency
{
    public const int Capacity = 100_000;

    readonly ConcurrentDictionary<(string AgentId, string EventId), long> forwardedAt = new();
    readonly ConcurrentQueue<(string AgentId, string EventId)> order = new();
    readonly Histogram<double> latency;
    readonly FallingBehindLog behind;
    readonly IOptions<LagOptions> options;
    readonly TimeProvider clock;
    int ordered;

    public AckLatency(IMeterFactory meters, FallingBehindLog behind, IOptions<LagOptions> options, TimeProvider clock)
    {
        this.behind = behind;
        this.options = options;
        this.clock = clock;
        latency = meters.Create(BrokerMetrics.MeterName).CreateHistogram<double>("resticmanager.agent.ack_latency", "s",
            "Time from forwarding an agent's QoS 1 event to the bus to sending the agent its acknowledgement",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 20, 30, 60, 300] });
    }

    public int Pending => forwardedAt.Count;

    /// <summary>The first forward counts: a resent event's wait started when the agent first got it through.</summary>
    public void Forwarded(string agentId, string eventId)
    {
        if (!forwardedAt.TryAdd((agentId, eventId), clock.GetUtcNow().UtcTicks))
        {
            return;
        }

        // The queue remembers the order of first forwards (acknowledged ones included, until they reach its head), so
        // it bounds both: whatever leaves the queue leaves the map, acknowledged already or the oldest still waiting.
        order.Enqueue((agentId, eventId));
        if (Interlocked.Increment(ref ordered) > Capacity && order.TryDequeue(out var oldest))
        {
            Interlocked.Decrement(ref ordered);
            forwardedAt.TryRemove(oldest, out _);
        }
    }

    /// <summary>The acknowledgement of <paramref name="eventIds"/> is on its way to <paramref name="agentId"/>.</summary>
    public void Acknowledged(string agentId, IEnumerable<string> eventIds)
    {
        var threshold = options.Value.AckLatency;
        var now = clock.GetUtcNow().UtcTicks;
        var slowest = TimeSpan.Zero;
        foreach (var eventId in eventIds)
        {
            if (forwardedAt.TryRemove((agentId, eventId), out var at))
            {
                var waited = TimeSpan.FromTicks(Math.Max(0, now - at));
                latency.Record(waited.TotalSeconds);
                slowest = waited > slowest ? waited : slowest;
            }
        }

        if (slowest > threshold)
        {
            behind.Report("ack-latency", "the acknowledgement of agents' events",
                $"{slowest.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s after the bridge forwarded one",
                $"{threshold.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s ({LagOptions.Section}:{nameof(LagOptions.AckLatency)})");
        }
    }
}
