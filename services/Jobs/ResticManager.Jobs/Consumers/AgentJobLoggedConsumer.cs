using System.Globalization;
using MassTransit;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;

namespace ResticManager.Jobs;

public sealed class AgentJobLoggedConsumer(AgentJobReports reports, JobLiveFeed feed) : IConsumer<AgentJobLogged>
{
    public async Task Consume(ConsumeContext<AgentJobLogged> context)
    {
        var (agentId, e) = (context.Message.AgentId, context.Message.Event);
        var added = await reports.ApplyLogAsync(agentId, e, context.CancellationToken);
        await context.AcknowledgeToAgentAsync(agentId, e.EventId, context.CancellationToken);
        foreach (var line in added)
        {
            feed.Publish(e.JobId, new LiveEvent("log", line.N.ToString(CultureInfo.InvariantCulture), LogLineView.From(line)));
        }
    }
}
