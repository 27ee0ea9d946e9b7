using MassTransit;
using ResticManager.Contracts;

namespace ResticManager.Notifications;

/// <summary>Host presence: offline and stale alerts (held back by minDuration), back online as their recovery.</summary>
public sealed class HostStateChangedConsumer(EngineEvents events) : IConsumer<HostStateChanged>
{
    public Task Consume(ConsumeContext<HostStateChanged> context) => events.HostStateChangedAsync(context.Message, context.CancellationToken);
}
