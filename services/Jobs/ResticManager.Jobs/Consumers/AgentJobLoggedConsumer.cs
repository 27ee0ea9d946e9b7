using System.Globalization;
using MassTransit;
using Microsoft.Extensions.Logging;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;

namespace ResticManager.Jobs;

public sealed class AgentJobLoggedConsumer(AgentJobReports reports, JobLiveFeed feed, ILogger<AgentJobLoggedConsumer> logger) : IConsumer<Batch<AgentJobLogged>>
{
    public Task Consume(ConsumeContext<Batch<AgentJobLogged>> context) =>
        ReportBatches.ApplyAsync(context.Message.Select(m => m.Message).ToList(), async batch =>
        {
            var added = await reports.ApplyLogAsync(batch, context.CancellationToken);
            // Published before the acknowledgement can fail: after the commit, a retry finds the lines stored and publishes nothing.
            foreach (var line in added)
            {
                feed.Publish(line.JobId, new LiveEvent("log", line.N.ToString(CultureInfo.InvariantCulture), LogLineView.From(line)));
            }

            await context.AcknowledgeToAgentsAsync(batch.Select(r => new AgentEventKey(r.AgentId, r.Event.EventId)), context.CancellationToken);
        }, logger, context.CancellationToken);
}
