using MassTransit;

namespace ResticManager.Inventory;

/// <summary>
/// A consumer of connection events (status, hello) that applies a batch in one transaction: a fleet connecting
/// sends one of each per agent within a minute, and one commit per message was what kept SQLite behind. A batch
/// waits at most <see cref="TimeLimit"/> to fill; one is applied while the next fills. Retried as
/// <see cref="ResticManager.BuildingBlocks.RetryingConsumerDefinition{TConsumer}"/> (every rule is idempotent);
/// what still fails lands in the <c>_error</c> queue.
/// </summary>
public sealed class PresenceBatchConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer> where TConsumer : class, IConsumer
{
    public const int MessageLimit = 200;
    public static readonly TimeSpan TimeLimit = TimeSpan.FromMilliseconds(100);
    static readonly int[] IntervalsMs = [100, 500, 1000, 2000, 5000];

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<TConsumer> consumerConfigurator, IRegistrationContext context)
    {
        consumerConfigurator.Options<BatchOptions>(o => o.SetMessageLimit(MessageLimit).SetTimeLimit(TimeLimit).SetConcurrencyLimit(1));
        endpointConfigurator.PrefetchCount = Math.Max(endpointConfigurator.PrefetchCount, 2 * MessageLimit);
        endpointConfigurator.ConcurrentMessageLimit = Math.Max(endpointConfigurator.ConcurrentMessageLimit ?? 0, 2 * MessageLimit);
        consumerConfigurator.UseMessageRetry(r => r.Intervals(IntervalsMs));
    }
}
