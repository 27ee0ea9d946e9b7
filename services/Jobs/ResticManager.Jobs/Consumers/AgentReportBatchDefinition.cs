using MassTransit;
using ResticManager.BuildingBlocks;

namespace ResticManager.Jobs;

/// <summary>
/// Agent reports (started, log batches, finished) are consumed in batches: what is waiting, up to
/// <see cref="MessageLimit"/>, goes into one transaction, so a burst of jobs costs a commit per batch
/// rather than per event, and the database's single writer is not fought over by one consumer per
/// event. A lone report waits at most <see cref="TimeLimit"/> for company. Two batches at a time: one
/// gathers while the other commits. A failed batch is retried whole (the inbox skips what was applied).
/// </summary>
public sealed class AgentReportBatchDefinition<TConsumer> : RetryingConsumerDefinition<TConsumer> where TConsumer : class, IConsumer
{
    public const int MessageLimit = 200;

    public static readonly TimeSpan TimeLimit = TimeSpan.FromMilliseconds(20);

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<TConsumer> consumerConfigurator, IRegistrationContext context)
    {
        base.ConfigureConsumer(endpointConfigurator, consumerConfigurator, context);
        consumerConfigurator.Options<BatchOptions>(o => o.SetMessageLimit(MessageLimit).SetTimeLimit(TimeLimit).SetConcurrencyLimit(2));
    }
}
