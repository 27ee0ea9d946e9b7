using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace ResticManager.BuildingBlocks;

/// <summary>
/// <c>resticmanager.outbox.pending</c>: the rows each outbox of this process still has to publish, labelled with the
/// service (<c>jobs</c>, <c>inventory</c>, ...), as its dispatcher last saw them. A backlog that only grows means the
/// bus is unreachable or a message cannot be published.
/// </summary>
public sealed class OutboxMetrics
{
    public const string MeterName = "ResticManager.Outbox";

    readonly ConcurrentDictionary<string, long> pending = new();

    public OutboxMetrics(IMeterFactory meters) =>
        meters.Create(MeterName).CreateObservableGauge("resticmanager.outbox.pending",
            () => pending.Select(p => new Measurement<long>(p.Value, new KeyValuePair<string, object?>("service", p.Key))),
            "{message}", "Outbox rows not yet published, per service");

    public void SetPending(string service, long rows) => pending[service] = rows;

    /// <summary><c>JobsDbContext</c> → <c>jobs</c>.</summary>
    public static string ServiceOf(Type context) =>
        (context.Name.EndsWith("DbContext", StringComparison.Ordinal) ? context.Name[..^"DbContext".Length] : context.Name).ToLowerInvariant();
}
