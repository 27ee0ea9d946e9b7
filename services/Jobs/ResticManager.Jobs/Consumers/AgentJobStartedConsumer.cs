using MassTransit;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;

namespace ResticManager.Jobs;

public sealed class AgentJobStartedConsumer(AgentJobReports reports, JobEvents events) : IConsumer<Batch<AgentJobStarted>>
{
    public async Task Consume(ConsumeContext<Batch<AgentJobStarted>> context)
    {
        var batch = context.Message.Select(m => m.Message).ToList();
        var changed = await reports.ApplyStartedAsync(batch, context.CancellationToken);
        await context.AcknowledgeToAgentsAsync(batch.Select(r => new AgentEventKey(r.AgentId, r.Event.EventId)), context.CancellationToken);
        foreach (var job in changed)
        {
            events.Announce(job);
        }
    }
}
