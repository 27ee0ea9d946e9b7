using MassTransit;
using ResticManager.Contracts;

namespace ResticManager.Broker;

/// <summary>The outbound half of the bridge: bus commands become QoS 1 messages on the agent's command topic.</summary>
public sealed class SendAgentCommandConsumer(IAgentChannel channel) : IConsumer<SendAgentCommand>
{
    public Task Consume(ConsumeContext<SendAgentCommand> context) =>
        channel.SendAsync(context.Message.AgentId, context.Message.MessageType, context.Message.Payload, context.CancellationToken);
}

/// <summary>
/// Commands can carry a repository's secrets: one that cannot be delivered is dropped, never parked
/// in a durable error queue. Nothing is lost by that: config is sent again at the next hello, and
/// unstarted jobs are sent again by the jobs service.
/// </summary>
public sealed class SendAgentCommandConsumerDefinition : ConsumerDefinition<SendAgentCommandConsumer>
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<SendAgentCommandConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        endpointConfigurator.DiscardFaultedMessages();
}
