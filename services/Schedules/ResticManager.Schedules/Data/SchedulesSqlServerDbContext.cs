using Microsoft.EntityFrameworkCore;

namespace ResticManager.Schedules;

public sealed class SchedulesSqlServerDbContext(DbContextOptions<SchedulesSqlServerDbContext> options) : SchedulesDbContext(options);
