using Microsoft.EntityFrameworkCore;

namespace ResticManager.Schedules;

public sealed class SchedulesSqliteDbContext(DbContextOptions<SchedulesSqliteDbContext> options) : SchedulesDbContext(options);
