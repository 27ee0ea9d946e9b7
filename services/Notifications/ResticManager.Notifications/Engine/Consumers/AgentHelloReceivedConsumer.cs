using MassTransit;
using ResticManager.Contracts;

namespace ResticManager.Notifications;

/// <summary>
/// An agent's hello: agentOutdated when it is older than this server, its recovery when a later hello is current.
/// Batched: every agent says hello at each reconnect, so a reconnect storm brings one per host.
/// </summary>
public sealed class AgentHelloReceivedConsumer(EngineEvents events) : IConsumer<Batch<AgentHelloReceived>>
{
    public Task Consume(ConsumeContext<Batch<AgentHelloReceived>> context) =>
        events.AgentHellosReceivedAsync(context.Message.Select(m => m.Message).ToList(), context.CancellationToken);
}
