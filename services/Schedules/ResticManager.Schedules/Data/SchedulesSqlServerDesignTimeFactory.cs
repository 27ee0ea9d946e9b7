using ResticManager.ServiceDefaults;

namespace ResticManager.Schedules;

sealed class SchedulesSqlServerDesignTimeFactory : SqlServerDesignTimeFactory<SchedulesSqlServerDbContext>;
