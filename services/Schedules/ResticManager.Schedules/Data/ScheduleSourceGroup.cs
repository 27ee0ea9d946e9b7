using Microsoft.EntityFrameworkCore;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Schedules;

public sealed class ScheduleSourceGroup
{
    public required string ScheduleId { get; init; }
    public required string SourceGroupId { get; init; }
}
