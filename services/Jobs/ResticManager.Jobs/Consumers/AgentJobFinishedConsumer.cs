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
            await context.AcknowledgeToAgentsAsync(batch.Select(r => new AgentEventKey(r.AgentId, r.Event.EventId)), context.CancellationToken);
            foreach (var job in changed)
            {
                events.Announce(job);
            }

            foreach (var agentId in batch.Select(r => r.AgentId).Distinct(StringComparer.Ordinal))
            {
                if (await running.HasUnfinishedJobsAsync(agentId, context.CancellationToken))
                {
                    await dispatcher.DispatchAsync(agentId, context.CancellationToken);
                }
            }
        }, logger, context.CancellationToken);
}
