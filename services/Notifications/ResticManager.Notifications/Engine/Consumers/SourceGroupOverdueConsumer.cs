using MassTransit;
using ResticManager.Contracts;

namespace ResticManager.Notifications;

/// <summary>An overdue group: the groupOverdue alert.</summary>
public sealed class SourceGroupOverdueConsumer(EngineEvents events) : IConsumer<SourceGroupOverdue>
{
    public Task Consume(ConsumeContext<SourceGroupOverdue> context) => events.SourceGroupOverdueAsync(context.Message, context.CancellationToken);
}
