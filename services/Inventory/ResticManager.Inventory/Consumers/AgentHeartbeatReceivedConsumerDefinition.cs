using MassTransit;

namespace ResticManager.Inventory;

/// <summary>
/// Heartbeats are the high-rate message: every agent sends one per interval, each a single conditional
/// update superseded by the next. They are retried only briefly, and one that still fails is dropped
/// instead of filling the error queue.
/// </summary>
public sealed class AgentHeartbeatReceivedConsumerDefinition : ConsumerDefinition<AgentHeartbeatReceivedConsumer>
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<AgentHeartbeatReceivedConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        consumerConfigurator.UseMessageRetry(r => r.Intervals(100, 500));
        endpointConfigurator.DiscardFaultedMessages();
    }
}
