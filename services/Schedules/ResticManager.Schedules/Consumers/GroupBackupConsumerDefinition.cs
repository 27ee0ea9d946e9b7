using ResticManager.BuildingBlocks;

namespace ResticManager.Schedules;

/// <summary>
/// Retried in place like every writing consumer, and one job state change at a time: two successes of
/// one overdue group judged side by side would both see it overdue and both announce that it caught up.
/// Nearly every change is not a group's success and is passed over without touching the database, so
/// the queue does not build up behind the limit.
/// </summary>
public sealed class GroupBackupConsumerDefinition : RetryingConsumerDefinition<GroupBackupConsumer>
{
    public GroupBackupConsumerDefinition() => ConcurrentMessageLimit = 1;
}
