using System.Globalization;
using MassTransit;
using Microsoft.Extensions.Options;

namespace ResticManager.ServiceDefaults;

/// <summary>
/// Records <see cref="BusMetrics"/>' consume lag as each message reaches its consumer, and says so in the log when a
/// message waited longer than <see cref="LagOptions.ConsumeLag"/> (once a minute per message type).
/// </summary>
public sealed class BusConsumeLag(BusMetrics metrics, FallingBehindLog behind, IOptions<LagOptions> options, TimeProvider clock) : IConsumeObserver
{
    public Task PreConsume<T>(ConsumeContext<T> context) where T : class
    {
        if (context.SentTime is { } sent)
        {
            var waited = clock.GetUtcNow().UtcDateTime - DateTime.SpecifyKind(sent, DateTimeKind.Utc);
            metrics.RecordLag(typeof(T).Name, waited);
            var threshold = options.Value.ConsumeLag;
            if (waited > threshold)
            {
                behind.Report($"consume:{typeof(T).Name}", $"the consumption of {typeof(T).Name} in this process",
                    $"{waited.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s after its publish",
                    $"{threshold.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s ({LagOptions.Section}:{nameof(LagOptions.ConsumeLag)})");
            }
        }

        return Task.CompletedTask;
    }

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Task.CompletedTask;
}
