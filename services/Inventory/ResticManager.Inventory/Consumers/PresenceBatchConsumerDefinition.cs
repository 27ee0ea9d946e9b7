using MassTransit;
using ResticManager.BuildingBlocks;

namespace ResticManager.Inventory;

/// <summary>
/// Connection events (status, hello) in batches of up to 200, one transaction each: a fleet connecting sends one
/// of each per agent within a minute, and one commit per message was what kept SQLite behind. A batch waits at
/// most 100 ms to fill; one is applied while the next fills; what still fails after the retries lands in <c>_error</c>.
/// </summary>
public sealed class PresenceBatchConsumerDefinition<TConsumer>() : BatchConsumerDefinition<TConsumer>(200, TimeSpan.FromMilliseconds(100), 1)
    where TConsumer : class, IConsumer;
