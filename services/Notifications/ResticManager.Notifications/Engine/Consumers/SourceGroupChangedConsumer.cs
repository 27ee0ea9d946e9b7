using MassTransit;
using ResticManager.Contracts;

namespace ResticManager.Notifications;

/// <summary>Source group names for messages; a deleted group's alerts are forgotten.</summary>
public sealed class SourceGroupChangedConsumer(EngineEvents events) : IConsumer<SourceGroupChanged>
{
    public Task Consume(ConsumeContext<SourceGroupChanged> context) => events.SourceGroupChangedAsync(context.Message, context.CancellationToken);
}
