using MassTransit;
using ResticManager.Contracts;

namespace ResticManager.Notifications;

/// <summary>An overdue group caught up: the recovery of its groupOverdue alert.</summary>
public sealed class SourceGroupCaughtUpConsumer(EngineEvents events) : IConsumer<SourceGroupCaughtUp>
{
    public Task Consume(ConsumeContext<SourceGroupCaughtUp> context) => events.SourceGroupCaughtUpAsync(context.Message, context.CancellationToken);
}
