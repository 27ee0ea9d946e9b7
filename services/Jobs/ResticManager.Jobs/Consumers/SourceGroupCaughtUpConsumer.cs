using MassTransit;
using ResticManager.Contracts;

namespace ResticManager.Jobs;

/// <summary>Live-only: an overdue source group has a successful backup again.</summary>
public sealed class SourceGroupCaughtUpConsumer(JobLiveFeed feed) : IConsumer<SourceGroupCaughtUp>
{
    public Task Consume(ConsumeContext<SourceGroupCaughtUp> context)
    {
        feed.PublishFleet("overdue", context.Message.HostId, new OverdueChangedView(context.Message.HostId, context.Message.SourceGroupId, false));
        return Task.CompletedTask;
    }
}
