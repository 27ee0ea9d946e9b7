using Microsoft.EntityFrameworkCore;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Schedules;

public sealed class SchedulesSqliteDbContext(DbContextOptions<SchedulesSqliteDbContext> options) : SchedulesDbContext(options);
