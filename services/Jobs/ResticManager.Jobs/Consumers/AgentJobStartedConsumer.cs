using MassTransit;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;

namespace ResticManager.Jobs;

public sealed class AgentJobStartedConsumer(AgentJobReports reports, JobEvents events) : IConsumer<AgentJobStarted>
{
    public async Task Consume(ConsumeContext<AgentJobStarted> context)
    {
        var (agentId, e) = (context.Message.AgentId, context.Message.Event);
        var changed = await reports.ApplyStartedAsync(agentId, e, context.CancellationToken);
        await context.AcknowledgeToAgentAsync(agentId, e.EventId, context.CancellationToken);
        if (changed is not null)
        {
            events.Announce(changed);
        }
    }
}
