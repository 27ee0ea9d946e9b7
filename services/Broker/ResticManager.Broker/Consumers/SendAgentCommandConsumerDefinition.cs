using MassTransit;
using ResticManager.BuildingBlocks;

namespace ResticManager.Broker;

/// <summary>
/// Commands can carry a repository's secrets: one that cannot be delivered after the retries is
/// dropped, never parked in a durable error queue. Nothing is lost by that: config is sent again at
/// the next hello, and unstarted jobs are sent again by the jobs service.
/// </summary>
public sealed class SendAgentCommandConsumerDefinition : RetryingConsumerDefinition<SendAgentCommandConsumer>
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<SendAgentCommandConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        base.ConfigureConsumer(endpointConfigurator, consumerConfigurator, context);
        endpointConfigurator.DiscardFaultedMessages();
    }
}
