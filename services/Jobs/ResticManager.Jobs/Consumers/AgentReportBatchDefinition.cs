using MassTransit;
using ResticManager.BuildingBlocks;

namespace ResticManager.Jobs;

/// <summary>
/// Agent reports (started, log batches, finished) in batches of up to 200: a burst of jobs costs a commit per
/// batch rather than per event, and the database's single writer is not fought over by one consumer per event.
/// A lone report waits at most 20 ms. Two batches at a time: one gathers while the other commits.
/// </summary>
public sealed class AgentReportBatchDefinition<TConsumer>() : BatchConsumerDefinition<TConsumer>(200, TimeSpan.FromMilliseconds(20), 2)
    where TConsumer : class, IConsumer;
