using System.Diagnostics.Metrics;

namespace ResticManager.ServiceDefaults;

/// <summary>
/// The last values a <see cref="GaugeRefresh"/> read, for an observable gauge's callback: a scrape reads memory,
/// never the database, however often Prometheus asks.
/// </summary>
public sealed class MeasurementCache<T> where T : struct
{
    volatile Measurement<T>[] current = [];

    public IEnumerable<Measurement<T>> Read() => current;

    public void Set(IEnumerable<Measurement<T>> measurements) => current = measurements.ToArray();

    public static KeyValuePair<string, object?> Label(string name, object? value) => new(name, value);
}
