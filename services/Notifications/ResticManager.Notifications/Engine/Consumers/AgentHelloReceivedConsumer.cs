using MassTransit;
using ResticManager.Contracts;

namespace ResticManager.Notifications;

/// <summary>An agent's hello: agentOutdated when it is older than this server, its recovery when a later hello is current.</summary>
public sealed class AgentHelloReceivedConsumer(EngineEvents events) : IConsumer<AgentHelloReceived>
{
    public Task Consume(ConsumeContext<AgentHelloReceived> context) => events.AgentHelloReceivedAsync(context.Message, context.CancellationToken);
}
