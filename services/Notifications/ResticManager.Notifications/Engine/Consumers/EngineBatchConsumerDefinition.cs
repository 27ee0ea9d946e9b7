using MassTransit;
using ResticManager.BuildingBlocks;

namespace ResticManager.Notifications;

/// <summary>
/// A batch consumer of the engine: up to <see cref="MessageLimit"/> events in one transaction, the batch closed
/// <see cref="TimeLimit"/> after its first event, so a lone event waits at most that long. One batch at a time
/// (the engine takes one transaction at a time anyway). A batch that fails is retried whole, as one event was:
/// every event in it applies once (versions, inbox), so applying it again is safe.
/// </summary>
public sealed class EngineBatchConsumerDefinition<TConsumer> : RetryingConsumerDefinition<TConsumer> where TConsumer : class, IConsumer
{
    public const int MessageLimit = 100;

    public static readonly TimeSpan TimeLimit = TimeSpan.FromMilliseconds(20);

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<TConsumer> consumerConfigurator, IRegistrationContext context)
    {
        base.ConfigureConsumer(endpointConfigurator, consumerConfigurator, context);
        consumerConfigurator.Options<BatchOptions>(o => o.SetMessageLimit(MessageLimit).SetTimeLimit(TimeLimit).SetConcurrencyLimit(1));
    }
}
