using Microsoft.EntityFrameworkCore;

namespace ResticManager.Notifications;

public sealed class NotificationsSqliteDbContext(DbContextOptions<NotificationsSqliteDbContext> options) : NotificationsDbContext(options);
