using Microsoft.EntityFrameworkCore;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Schedules;

public sealed class SchedulesSqlServerDbContext(DbContextOptions<SchedulesSqlServerDbContext> options) : SchedulesDbContext(options);
