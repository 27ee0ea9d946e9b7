using System.Diagnostics.Metrics;

namespace ResticManager.Notifications;

/// <summary>
/// Meter <c>ResticManager.Notifications</c>: deliveries by channel kind and outcome (sent, retry, failed), and the
/// pending deliveries (the outbox backlog) as last counted by the dispatcher, so a scrape costs no query.
/// </summary>
public sealed class NotificationMetrics
{
    public const string MeterName = "ResticManager.Notifications";

    readonly Counter<long> deliveries;
    long pending;

    public NotificationMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        deliveries = meter.CreateCounter<long>("resticmanager.notification.deliveries", "{delivery}", "Delivery attempts by channel kind and outcome (sent, retry, failed).");
        meter.CreateObservableGauge("resticmanager.notification.deliveries.pending", () => Interlocked.Read(ref pending), "{delivery}", "Deliveries waiting to be sent or retried.");
    }

    public void Attempted(ChannelKind? kind, string outcome) =>
        deliveries.Add(1, new KeyValuePair<string, object?>("channel_kind", kind?.ToString().ToLowerInvariant() ?? "unknown"), new KeyValuePair<string, object?>("outcome", outcome));

    public void Pending(long count) => Interlocked.Exchange(ref pending, count);
}
