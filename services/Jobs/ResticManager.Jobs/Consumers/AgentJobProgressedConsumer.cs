using MassTransit;
using ResticManager.Contracts;

namespace ResticManager.Jobs;

/// <summary>
/// Live-only: progress goes to watching browsers and nowhere else, so it needs no inbox and no retry.
/// A report for a job that is not its agent's own, or no longer running, is not shown; which job is
/// whose is answered from memory (<see cref="RunningJobHosts"/>), never by a query per report. On the
/// fleet streams it has no id and is not kept for resuming: the next report replaces it.
/// </summary>
public sealed class AgentJobProgressedConsumer(JobLiveFeed feed, RunningJobHosts running) : IConsumer<AgentJobProgressed>
{
    public async Task Consume(ConsumeContext<AgentJobProgressed> context)
    {
        var (agentId, progress) = (context.Message.AgentId, context.Message.Event);
        if (await running.HostOfAsync(progress.JobId, context.CancellationToken) != agentId)
        {
            return;
        }

        feed.Publish(progress.JobId, new LiveEvent("progress", null, progress));
        feed.PublishFleetLiveOnly("progress", agentId, progress.JobId, JobProgressView.From(agentId, progress));
    }
}
