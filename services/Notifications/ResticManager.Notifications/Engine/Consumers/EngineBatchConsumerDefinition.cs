using MassTransit;
using ResticManager.BuildingBlocks;

namespace ResticManager.Notifications;

/// <summary>
/// A batch consumer of the engine: up to 100 events in one transaction, a lone event waiting at most 20 ms.
/// One batch at a time: the engine takes one transaction at a time anyway.
/// </summary>
public sealed class EngineBatchConsumerDefinition<TConsumer>() : BatchConsumerDefinition<TConsumer>(100, TimeSpan.FromMilliseconds(20), 1)
    where TConsumer : class, IConsumer;
