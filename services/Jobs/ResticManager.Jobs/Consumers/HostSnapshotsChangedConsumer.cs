using MassTransit;
using ResticManager.Contracts;

namespace ResticManager.Jobs;

/// <summary>Live-only: tells browsers that a host's snapshot list changed, so they refetch it.</summary>
public sealed class HostSnapshotsChangedConsumer(JobLiveFeed feed) : IConsumer<HostSnapshotsChanged>
{
    public Task Consume(ConsumeContext<HostSnapshotsChanged> context)
    {
        feed.PublishFleet("snapshots", context.Message.HostId, new SnapshotsChangedView(context.Message.HostId, context.Message.RefreshedAt));
        return Task.CompletedTask;
    }
}
