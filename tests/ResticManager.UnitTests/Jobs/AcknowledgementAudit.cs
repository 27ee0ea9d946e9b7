using System.Collections.Concurrent;
using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;
using ResticManager.Jobs;
using ResticManager.Protocol;

namespace ResticManager.UnitTests.Jobs;

/// <summary>
/// Stands beside the broker in <see cref="JobRulesHost"/>: for every acknowledgement the jobs service
/// sends, notes whether each event it names was already committed to the inbox when it arrived. An
/// acknowledgement sent before its commit lets the agent drop an event the server may still lose.
/// </summary>
public sealed class AcknowledgementAudit(JobsDbContext db) : IConsumer<SendAgentCommand>
{
    public static ConcurrentQueue<(string AgentId, IReadOnlyList<string> EventIds, bool Committed)> Seen { get; } = new();

    public async Task Consume(ConsumeContext<SendAgentCommand> context)
    {
        if (context.Message.MessageType != MessageTypes.Acknowledge)
        {
            return;
        }

        var agentId = context.Message.AgentId;
        var ids = JsonSerializer.Deserialize<Acknowledge>(context.Message.Payload, WireJson.Options)!.EventIds;
        var committed = await db.Set<ProcessedEvent>().CountAsync(p => p.AgentId == agentId && ids.Contains(p.EventId));
        Seen.Enqueue((agentId, ids, committed == ids.Count));
    }
}
