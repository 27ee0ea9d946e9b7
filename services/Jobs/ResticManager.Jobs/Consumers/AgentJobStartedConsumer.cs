using MassTransit;
using Microsoft.Extensions.Logging;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;

namespace ResticManager.Jobs;

public sealed class AgentJobStartedConsumer(AgentJobReports reports, JobEvents events, ILogger<AgentJobStartedConsumer> logger) : IConsumer<Batch<AgentJobStarted>>
{
    public Task Consume(ConsumeContext<Batch<AgentJobStarted>> context) =>
        ReportBatches.ApplyAsync(context.Message.Select(m => m.Message).ToList(), async batch =>
        {
            var changed = await reports.ApplyStartedAsync(batch, context.CancellationToken);
            // Announced before the acknowledgement can fail: after the commit, a retry finds the reports applied and announces nothing.
            foreach (var job in changed)
            {
                events.Announce(job);
            }

            await context.AcknowledgeToAgentsAsync(batch.Select(r => new AgentEventKey(r.AgentId, r.Event.EventId)), context.CancellationToken);
        }, logger, context.CancellationToken);
}
