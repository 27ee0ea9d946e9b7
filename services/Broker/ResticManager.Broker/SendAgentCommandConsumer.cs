using MassTransit;
using MQTTnet.Server;
using ResticManager.Contracts;

namespace ResticManager.Broker;

/// <summary>The outbound half of the bridge: bus commands become QoS 1 messages on the agent's command topic.</summary>
public sealed class SendAgentCommandConsumer(MqttServer server) : IConsumer<SendAgentCommand>
{
    public Task Consume(ConsumeContext<SendAgentCommand> context) =>
        AgentBridge.SendToAgentAsync(server, context.Message.AgentId, context.Message.MessageType, context.Message.Payload, context.CancellationToken);
}
