using Microsoft.EntityFrameworkCore;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Schedules;

/// <summary>What to back up on a host, how to tag it and which of its snapshots to keep.</summary>
public sealed class SourceGroup
{
    public required string Id { get; init; }
    public required string HostId { get; init; }
    public required string Name { get; set; }

    /// <summary>JSON arrays and objects, as the API takes them.</summary>
    public required string IncludesJson { get; set; }
    public required string ExcludesJson { get; set; }
    public required string Tag { get; set; }
    public string? RetentionJson { get; set; }
    public string? HooksJson { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>Finish time of the newest backup of this group that succeeded (or warned).</summary>
    public DateTime? LastSuccessAt { get; set; }
    public string? LastSuccessJobId { get; set; }

    /// <summary>Set while the group is overdue (see <see cref="OverdueRule"/>).</summary>
    public DateTime? OverdueSince { get; set; }
}

public sealed class Schedule
{
    public required string Id { get; init; }
    public required string HostId { get; init; }
    public required string Cron { get; set; }
    public required string TimeZone { get; set; }
    public bool Enabled { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>When it was last enabled: a group it covers is not overdue before it had a chance to run.</summary>
    public DateTime? EnabledSince { get; set; }
    public List<ScheduleSourceGroup> SourceGroups { get; set; } = [];
}

public sealed class ScheduleSourceGroup
{
    public required string ScheduleId { get; init; }
    public required string SourceGroupId { get; init; }
}

/// <summary>One fire of a schedule, recorded once (the key is the fire time), with the jobs it asked for.</summary>
public sealed class ScheduleRun
{
    public required string ScheduleId { get; init; }
    public DateTime ScheduledFor { get; init; }
    public DateTime FiredAt { get; init; }
    public string? JobIdsJson { get; set; }
    public string? Error { get; set; }
}

public enum MaintenanceKind
{
    Forget,
    Prune,
    Check,
}

/// <summary>A repository maintenance cadence of a host.</summary>
public sealed class MaintenanceTask
{
    public required string HostId { get; init; }
    public MaintenanceKind Kind { get; init; }
    public required string Cron { get; set; }
    public required string TimeZone { get; set; }
    public bool Enabled { get; set; }
    public int? ReadDataSubsetPercent { get; set; }

    /// <summary>Checks started so far: picks the next slice of a rotating read-data subset.</summary>
    public int Runs { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public class SchedulesDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<SourceGroup> SourceGroups => Set<SourceGroup>();
    public DbSet<Schedule> Schedules => Set<Schedule>();
    public DbSet<ScheduleSourceGroup> ScheduleSourceGroups => Set<ScheduleSourceGroup>();
    public DbSet<ScheduleRun> Runs => Set<ScheduleRun>();
    public DbSet<MaintenanceTask> Maintenance => Set<MaintenanceTask>();

    protected override void OnModelCreating(ModelBuilder model)
    {
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

public sealed class SchedulesSqliteDbContext(DbContextOptions<SchedulesSqliteDbContext> options) : SchedulesDbContext(options);

public sealed class SchedulesSqlServerDbContext(DbContextOptions<SchedulesSqlServerDbContext> options) : SchedulesDbContext(options);

sealed class SchedulesSqliteDesignTimeFactory : SqliteDesignTimeFactory<SchedulesSqliteDbContext>;

sealed class SchedulesSqlServerDesignTimeFactory : SqlServerDesignTimeFactory<SchedulesSqlServerDbContext>;
