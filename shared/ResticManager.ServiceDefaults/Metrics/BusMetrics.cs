using System.Diagnostics.Metrics;

namespace ResticManager.ServiceDefaults;

/// <summary>
/// The bus as this process consumes it: how long a message waited between its publish and the start of its
/// consumption (queueing in RabbitMQ or the in-memory transport, plus clock skew between hosts), by message
/// type. The type's short name keeps the label bounded: the contracts are a fixed set.
/// </summary>
public sealed class BusMetrics
{
    public const string MeterName = "ResticManager.Bus";

    readonly Histogram<double> lag;

    public BusMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        lag = meter.CreateHistogram<double>("resticmanager.bus.consume_lag", "s", "Time from a message's publish to the start of its consumption",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300] });
    }

    public void RecordLag(string messageType, TimeSpan waited) =>
        lag.Record(Math.Max(0, waited.TotalSeconds), new KeyValuePair<string, object?>("message_type", messageType));
}
