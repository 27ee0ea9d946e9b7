using MassTransit;

namespace ResticManager.Inventory;

/// <summary>
/// Heartbeats are the high-rate message (10,000 agents at 30 s: 333 a second), each superseded by the next:
/// they are applied in batches of up to <see cref="MessageLimit"/>, one transaction each, waiting at most
/// <see cref="TimeLimit"/> for a batch to fill. One batch is applied at a time (SQLite has one writer anyway)
/// while the next fills: the endpoint takes twice a batch from the queue. They are retried only briefly,
/// and a batch that still fails is dropped instead of filling the error queue: the next heartbeats follow.
/// </summary>
public sealed class AgentHeartbeatReceivedConsumerDefinition : ConsumerDefinition<AgentHeartbeatReceivedConsumer>
{
    public const int MessageLimit = 500;
    public static readonly TimeSpan TimeLimit = TimeSpan.FromMilliseconds(200);

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<AgentHeartbeatReceivedConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        consumerConfigurator.Options<BatchOptions>(o => o.SetMessageLimit(MessageLimit).SetTimeLimit(TimeLimit).SetConcurrencyLimit(1));
        endpointConfigurator.PrefetchCount = Math.Max(endpointConfigurator.PrefetchCount, 2 * MessageLimit);
        endpointConfigurator.ConcurrentMessageLimit = Math.Max(endpointConfigurator.ConcurrentMessageLimit ?? 0, 2 * MessageLimit);
        consumerConfigurator.UseMessageRetry(r => r.Intervals(100, 500));
        endpointConfigurator.DiscardFaultedMessages();
    }
}
