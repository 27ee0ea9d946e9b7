using MassTransit;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;

namespace ResticManager.Jobs;

/// <summary>Settles the job, then moves the host's queue: its slot is free.</summary>
public sealed class AgentJobFinishedConsumer(AgentJobReports reports, JobEvents events, JobDispatcher dispatcher) : IConsumer<AgentJobFinished>
{
    public async Task Consume(ConsumeContext<AgentJobFinished> context)
    {
        var (agentId, e) = (context.Message.AgentId, context.Message.Event);
        var changed = await reports.ApplyFinishedAsync(agentId, e, context.CancellationToken);
        await context.AcknowledgeToAgentAsync(agentId, e.EventId, context.CancellationToken);
        if (changed is not null)
        {
            events.Announce(changed);
        }

        await dispatcher.DispatchAsync(agentId, context.CancellationToken);
    }
}
