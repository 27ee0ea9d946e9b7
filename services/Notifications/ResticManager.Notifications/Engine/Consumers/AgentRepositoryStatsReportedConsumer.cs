using MassTransit;
using ResticManager.Contracts;

namespace ResticManager.Notifications;

/// <summary>
/// Repository stats: repositoryLocked while a lock is present, checkFailed while the last check failed, their
/// recoveries when that clears. Applied once by event id; never acknowledged to the agent from here (the
/// snapshots service owns these events and acknowledges them).
/// </summary>
public sealed class AgentRepositoryStatsReportedConsumer(EngineEvents events) : IConsumer<AgentRepositoryStatsReported>
{
    public Task Consume(ConsumeContext<AgentRepositoryStatsReported> context) => events.RepositoryStatsReportedAsync(context.Message, context.CancellationToken);
}
