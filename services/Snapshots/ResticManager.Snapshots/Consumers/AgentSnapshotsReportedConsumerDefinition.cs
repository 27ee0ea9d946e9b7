using ResticManager.BuildingBlocks;

namespace ResticManager.Snapshots;

/// <summary>
/// A report carries a host's whole snapshot list and replaces its catalogue (thousands of rows deleted
/// and inserted): one at a time keeps memory bounded and those transactions from contending.
/// </summary>
public sealed class AgentSnapshotsReportedConsumerDefinition : RetryingConsumerDefinition<AgentSnapshotsReportedConsumer>
{
    public AgentSnapshotsReportedConsumerDefinition() => ConcurrentMessageLimit = 1;
}
