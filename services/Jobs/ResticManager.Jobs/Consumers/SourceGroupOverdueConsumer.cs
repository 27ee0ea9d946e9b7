using MassTransit;
using ResticManager.Contracts;

namespace ResticManager.Jobs;

/// <summary>Live-only: a source group became overdue (the schedules service decides; browsers are told here).</summary>
public sealed class SourceGroupOverdueConsumer(JobLiveFeed feed) : IConsumer<SourceGroupOverdue>
{
    public Task Consume(ConsumeContext<SourceGroupOverdue> context)
    {
        feed.PublishFleet("overdue", context.Message.HostId, new OverdueChangedView(context.Message.HostId, context.Message.SourceGroupId, true));
        return Task.CompletedTask;
    }
}
