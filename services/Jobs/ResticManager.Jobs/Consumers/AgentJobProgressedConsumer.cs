using MassTransit;
using ResticManager.Contracts;

namespace ResticManager.Jobs;

/// <summary>Live-only: progress goes to watching browsers and nowhere else, so it needs no inbox and no retry.</summary>
public sealed class AgentJobProgressedConsumer(JobLiveFeed feed) : IConsumer<AgentJobProgressed>
{
    public Task Consume(ConsumeContext<AgentJobProgressed> context)
    {
        feed.Publish(context.Message.Event.JobId, new LiveEvent("progress", null, context.Message.Event));
        return Task.CompletedTask;
    }
}
