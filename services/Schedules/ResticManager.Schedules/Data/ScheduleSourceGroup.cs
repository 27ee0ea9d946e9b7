namespace ResticManager.Schedules;

public sealed class ScheduleSourceGroup
{
    public required string ScheduleId { get; init; }
    public required string SourceGroupId { get; init; }
}
