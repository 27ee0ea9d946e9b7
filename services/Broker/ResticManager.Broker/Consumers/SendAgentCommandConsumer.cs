using MassTransit;
using ResticManager.Contracts;

namespace ResticManager.Broker;

/// <summary>The outbound half of the bridge: bus commands become QoS 1 messages on the agent's command topic.</summary>
public sealed class SendAgentCommandConsumer(IAgentChannel channel, BrokerMetrics metrics) : IConsumer<SendAgentCommand>
{
    public async Task Consume(ConsumeContext<SendAgentCommand> context)
    {
        await channel.SendAsync(context.Message.AgentId, context.Message.MessageType, context.Message.Payload, context.CancellationToken);
        metrics.Sent(context.Message.MessageType);
    }
}
