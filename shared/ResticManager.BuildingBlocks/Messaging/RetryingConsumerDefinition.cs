using MassTransit;

namespace ResticManager.BuildingBlocks;

/// <summary>
/// The definition of a consumer that writes to its database: transient failures (a busy SQLite
/// file, a lost race on a unique key, a SQL Server failover) are retried in place, and what still
/// fails lands in the endpoint's <c>_error</c> queue. Consumers are idempotent, so a retry is safe.
/// A consumer with other needs (live-only progress) has a definition of its own.
/// </summary>
public class RetryingConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer> where TConsumer : class, IConsumer
{
    static readonly int[] IntervalsMs = [100, 500, 1000, 2000, 5000];

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<TConsumer> consumerConfigurator, IRegistrationContext context) =>
        consumerConfigurator.UseMessageRetry(r => r.Intervals(IntervalsMs));
}
