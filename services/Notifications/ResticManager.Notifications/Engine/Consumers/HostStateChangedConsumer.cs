using MassTransit;
using ResticManager.Contracts;

namespace ResticManager.Notifications;

/// <summary>
/// Host presence: offline and stale alerts (held back by minDuration), back online as their recovery. Batched: a
/// fleet connecting or reconnecting sends one change per host within a minute, each a small write.
/// </summary>
public sealed class HostStateChangedConsumer(EngineEvents events) : IConsumer<Batch<HostStateChanged>>
{
    public Task Consume(ConsumeContext<Batch<HostStateChanged>> context) =>
        events.HostStatesChangedAsync(context.Message.Select(m => m.Message).ToList(), context.CancellationToken);
}
