using Microsoft.EntityFrameworkCore;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Schedules;

public class SchedulesDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<SourceGroup> SourceGroups => Set<SourceGroup>();
    public DbSet<Schedule> Schedules => Set<Schedule>();
    public DbSet<ScheduleSourceGroup> ScheduleSourceGroups => Set<ScheduleSourceGroup>();
    public DbSet<ScheduleRun> Runs => Set<ScheduleRun>();
    public DbSet<MaintenanceTask> Maintenance => Set<MaintenanceTask>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.AddHostLabels(this);
        model.AddOutbox();
        model.Entity<SourceGroup>(e =>
        {
            e.ToTable("source_groups");
            e.HasKey(g => g.Id);
            e.Property(g => g.Id).HasMaxLength(32);
            e.Property(g => g.HostId).HasMaxLength(64);
            e.Property(g => g.Name).HasMaxLength(100);
            e.Property(g => g.Tag).HasMaxLength(100);
            e.Property(g => g.LastSuccessJobId).HasMaxLength(32);
            e.HasIndex(g => new { g.HostId, g.Name }).IsUnique();
            // forget selects a group's snapshots by its tag: two groups sharing one would forget each other's.
            e.HasIndex(g => new { g.HostId, g.Tag }).IsUnique();
            e.HasIndex(g => g.OverdueSince);
        });
        model.Entity<Schedule>(e =>
        {
            e.ToTable("schedules");
            e.HasKey(s => s.Id);
            e.Property(s => s.Id).HasMaxLength(32);
            e.Property(s => s.HostId).HasMaxLength(64);
            e.Property(s => s.Cron).HasMaxLength(200);
            e.Property(s => s.TimeZone).HasMaxLength(64);
            e.HasIndex(s => s.HostId);
            e.HasMany(s => s.SourceGroups).WithOne().HasForeignKey(l => l.ScheduleId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<ScheduleSourceGroup>(e =>
        {
            e.ToTable("schedule_source_groups");
            e.HasKey(l => new { l.ScheduleId, l.SourceGroupId });
            e.Property(l => l.ScheduleId).HasMaxLength(32);
            e.Property(l => l.SourceGroupId).HasMaxLength(32);
            // A group in use cannot be deleted: the API answers 409 with the schedules, the database agrees.
            e.HasOne<SourceGroup>().WithMany().HasForeignKey(l => l.SourceGroupId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(l => l.SourceGroupId);
        });
        model.Entity<ScheduleRun>(e =>
        {
            e.ToTable("schedule_runs");
            e.HasKey(r => new { r.ScheduleId, r.ScheduledFor });
            e.Property(r => r.ScheduleId).HasMaxLength(32);
            e.Property(r => r.Error).HasMaxLength(2000);
        });
        model.Entity<MaintenanceTask>(e =>
        {
            e.ToTable("maintenance_tasks");
            e.HasKey(m => new { m.HostId, m.Kind });
            e.Property(m => m.HostId).HasMaxLength(64);
            e.Property(m => m.Kind).HasConversion<string>().HasMaxLength(16);
            e.Property(m => m.Cron).HasMaxLength(200);
            e.Property(m => m.TimeZone).HasMaxLength(64);
        });
    }
}
