using MassTransit;
using ResticManager.Contracts;

namespace ResticManager.Notifications;

/// <summary>A new host's name, for messages and the fleet stream.</summary>
public sealed class HostEnrolledConsumer(EngineEvents events) : IConsumer<HostEnrolled>
{
    public Task Consume(ConsumeContext<HostEnrolled> context) => events.HostEnrolledAsync(context.Message, context.CancellationToken);
}
