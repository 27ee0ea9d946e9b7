using MassTransit;

namespace ResticManager.ServiceDefaults;

/// <summary>Records <see cref="BusMetrics"/>' consume lag as each message reaches its consumer.</summary>
public sealed class BusConsumeLag(BusMetrics metrics, TimeProvider clock) : IConsumeObserver
{
    public Task PreConsume<T>(ConsumeContext<T> context) where T : class
    {
        if (context.SentTime is { } sent)
        {
            metrics.RecordLag(typeof(T).Name, clock.GetUtcNow().UtcDateTime - DateTime.SpecifyKind(sent, DateTimeKind.Utc));
        }

        return Task.CompletedTask;
    }

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Task.CompletedTask;
}
