using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Options;
using ResticManager.ServiceDefaults;

namespace ResticManager.Broker;

/// <summary>
/// Agent messages the bridge has taken from MQTT and the bus has not accepted yet: inside the embedded broker's publish
/// hook, or received from an external broker and not yet acknowledged to it. A backlog that grows means the bus (its
/// publisher confirms, or the in-memory consumers behind it) is slower than the agents; past
/// <see cref="LagOptions.BridgeBacklog"/> the log says so, once a minute.
/// </summary>
public sealed class BridgeBacklog
{
    readonly FallingBehindLog behind;
    readonly IOptions<LagOptions> options;
    long count;

    public BridgeBacklog(IMeterFactory meters, FallingBehindLog behind, IOptions<LagOptions> options)
    {
        this.behind = behind;
        this.options = options;
        meters.Create(BrokerMetrics.MeterName).CreateObservableGauge("resticmanager.bridge.backlog", () => Interlocked.Read(ref count),
            "{message}", "Agent messages taken from MQTT and not yet accepted by the bus");
    }

    public long Count => Interlocked.Read(ref count);

    /// <summary>One more message waiting for the bus; dispose the result once the bus accepted or refused it.</summary>
    public Entry Enter()
    {
        var now = Interlocked.Increment(ref count);
        var threshold = options.Value.BridgeBacklog;
        if (now > threshold)
        {
            behind.Report("bridge-backlog", "the bridge's backlog (agent messages waiting for the bus)",
                $"{now.ToString(CultureInfo.InvariantCulture)} messages",
                $"{threshold.ToString(CultureInfo.InvariantCulture)} ({LagOptions.Section}:{nameof(LagOptions.BridgeBacklog)})");
        }

        return new Entry(this);
    }

    public readonly struct Entry(BridgeBacklog backlog) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref backlog.count);
    }
}
