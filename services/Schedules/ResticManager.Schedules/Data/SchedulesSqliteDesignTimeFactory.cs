using ResticManager.ServiceDefaults;

namespace ResticManager.Schedules;

sealed class SchedulesSqliteDesignTimeFactory : SqliteDesignTimeFactory<SchedulesSqliteDbContext>;
