using MassTransit;

namespace ResticManager.Broker;

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
