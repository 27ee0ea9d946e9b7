using MassTransit;

namespace ResticManager.BuildingBlocks;

/// <summary>
/// A consumer of <c>Batch&lt;T&gt;</c> that applies a batch in one transaction: up to <c>messageLimit</c> messages,
/// a lone one waiting at most <c>timeLimit</c> for company, <c>concurrencyLimit</c> batches at a time, and the
/// endpoint allowed to hold one more batch while those apply, so the next fills meanwhile. A failed batch is
/// retried whole as <see cref="RetryingConsumerDefinition{TConsumer}"/> retries one message: every consumer
/// applies each message once (versions, inbox), so applying it again is safe.
/// </summary>
public abstract class BatchConsumerDefinition<TConsumer>(int messageLimit, TimeSpan timeLimit, int concurrencyLimit) : RetryingConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<TConsumer> consumerConfigurator, IRegistrationContext context)
    {
        base.ConfigureConsumer(endpointConfigurator, consumerConfigurator, context);
        consumerConfigurator.Options<BatchOptions>(o => o.SetMessageLimit(messageLimit).SetTimeLimit(timeLimit).SetConcurrencyLimit(concurrencyLimit));
        var held = messageLimit * (concurrencyLimit + 1);
        endpointConfigurator.PrefetchCount = Math.Max(endpointConfigurator.PrefetchCount, held);
        endpointConfigurator.ConcurrentMessageLimit = Math.Max(endpointConfigurator.ConcurrentMessageLimit ?? 0, held);
    }
}
