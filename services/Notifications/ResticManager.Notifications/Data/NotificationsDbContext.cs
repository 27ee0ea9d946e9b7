using Microsoft.EntityFrameworkCore;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Notifications;

/// <summary>
/// The service's own database. Each entity's mapping sits beside it (an <see cref="IEntityTypeConfiguration{T}"/>
/// picked up here), so channels, rules, the engine and the fleet stream each keep their tables to themselves.
/// </summary>
public class NotificationsDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<NotificationChannel> Channels => Set<NotificationChannel>();
    public DbSet<NotificationRule> Rules => Set<NotificationRule>();
    public DbSet<WatchedHost> Hosts => Set<WatchedHost>();
    public DbSet<Delivery> Deliveries => Set<Delivery>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.ApplyConfigurationsFromAssembly(typeof(NotificationsDbContext).Assembly);
        model.AddHostLabels(this);
        model.AddInbox();
    }
}
