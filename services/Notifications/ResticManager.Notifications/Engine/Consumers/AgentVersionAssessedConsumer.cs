using MassTransit;
using ResticManager.Contracts;

namespace ResticManager.Notifications;

/// <summary>
/// The inventory's verdict on an agent's version: agentOutdated when it is behind the version the server ships,
/// its recovery when a later verdict is current. Batched: a server upgrade turns a whole fleet over at its reconnect.
/// </summary>
public sealed class AgentVersionAssessedConsumer(EngineEvents events) : IConsumer<Batch<AgentVersionAssessed>>
{
    public Task Consume(ConsumeContext<Batch<AgentVersionAssessed>> context) =>
        events.AgentVersionsAssessedAsync(context.Message.Select(m => m.Message).ToList(), context.CancellationToken);
}
