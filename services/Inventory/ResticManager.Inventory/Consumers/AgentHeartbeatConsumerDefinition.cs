using MassTransit;

namespace ResticManager.Inventory;

/// <summary>
/// Heartbeats are the high-rate message: every agent sends one per interval, and each is superseded by
/// the next. One that still fails after the retries is dropped instead of filling the error queue.
/// </summary>
public sealed class AgentHeartbeatConsumerDefinition : ConsumerDefinition<AgentHeartbeatConsumer>
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<AgentHeartbeatConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        endpointConfigurator.DiscardFaultedMessages();
}
