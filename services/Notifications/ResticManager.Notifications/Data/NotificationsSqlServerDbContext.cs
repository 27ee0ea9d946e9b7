using Microsoft.EntityFrameworkCore;

namespace ResticManager.Notifications;

public sealed class NotificationsSqlServerDbContext(DbContextOptions<NotificationsSqlServerDbContext> options) : NotificationsDbContext(options);
