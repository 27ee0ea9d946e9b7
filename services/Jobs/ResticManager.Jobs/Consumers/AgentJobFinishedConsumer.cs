using MassTransit;
using Microsoft.Extensions.Logging;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;

namespace ResticManager.Jobs;

/// <summary>Settles the jobs, then moves each reporting host's queue: its slot is free.</summary>
public sealed class AgentJobFinishedConsumer(AgentJobReports reports, JobEvents events, RunningJobHosts running, JobDispatcher dispatcher, ILogger<AgentJobFinishedConsumer> logger)
    : IConsumer<Batch<AgentJobFinished>>
{
    public Task Consume(ConsumeContext<Batch<AgentJobFinished>> context) =>
        ReportBatches.ApplyAsync(context.Message.Select(m => m.Message).ToList(), async batch =>
        {
            var changed = await reports.ApplyFinishedAsync(batch, context.CancellationToken);
            // Announced before anything else can fail: after the commit, a retry finds the reports applied and announces nothing.
            foreach (var job in changed)
            {
                events.Announce(job);
            }

            await context.AcknowledgeToAgentsAsync(batch.Select(r => new AgentEventKey(r.AgentId, r.Event.EventId)), context.CancellationToken);
            foreach (var agentId in batch.Select(r => r.AgentId).Distinct(StringComparer.Ordinal))
            {
                try
                {
                    if (await running.HasUnfinishedJobsAsync(agentId, context.CancellationToken))
                    {
                        await dispatcher.DispatchAsync(agentId, context.CancellationToken);
                    }
                }
                catch (Exception ex) when (!context.CancellationToken.IsCancellationRequested)
                {
                    // One host's dispatch must not send the applied batch back through retries; the sweeper moves its queue.
                    logger.LogWarning("Could not dispatch the next job of {AgentId} after its finish: {Error}", agentId, ex.GetBaseException().Message);
                }
            }
        }, logger, context.CancellationToken);
}
