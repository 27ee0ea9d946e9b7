using ResticManager.ServiceDefaults;

namespace ResticManager.Notifications;

sealed class NotificationsSqliteDesignTimeFactory : SqliteDesignTimeFactory<NotificationsSqliteDbContext>;
