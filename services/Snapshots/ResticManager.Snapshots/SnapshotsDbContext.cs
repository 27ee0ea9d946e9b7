using Microsoft.EntityFrameworkCore;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Snapshots;

public sealed class SnapshotRecord
{
    public required string HostId { get; init; }
    public required string Id { get; init; }
    public required string ShortId { get; init; }
    public DateTime Time { get; init; }
    public required string Hostname { get; init; }
    public required string PathsJson { get; init; }
    public string? TagsJson { get; init; }
    public long? SizeBytes { get; init; }
    public long? FileCount { get; init; }
}

/// <summary>Per host: when its catalogue was last replaced, and its repository's health.</summary>
public sealed class HostCatalog
{
    public required string HostId { get; init; }
    public DateTime? RefreshedAt { get; set; }
    public long? TotalSizeBytes { get; set; }
    public long? SnapshotCount { get; set; }
    public DateTime? LastCheckAt { get; set; }
    public bool? LastCheckSucceeded { get; set; }
    public bool? LockPresent { get; set; }
    public DateTime? StatsUpdatedAt { get; set; }
}

public class SnapshotsDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<SnapshotRecord> Snapshots => Set<SnapshotRecord>();
    public DbSet<HostCatalog> Catalogs => Set<HostCatalog>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<SnapshotRecord>(e =>
        {
            e.ToTable("snapshots");
            e.HasKey(s => new { s.HostId, s.Id });
            e.Property(s => s.HostId).HasMaxLength(64);
            e.Property(s => s.Id).HasMaxLength(64);
            e.Property(s => s.ShortId).HasMaxLength(16);
            e.Property(s => s.Hostname).HasMaxLength(253);
            e.HasIndex(s => new { s.HostId, s.Time });
        });
        model.Entity<HostCatalog>(e =>
        {
            e.ToTable("host_catalogs");
            e.HasKey(c => c.HostId);
            e.Property(c => c.HostId).HasMaxLength(64);
        });
        model.AddInbox();
    }
}

public sealed class SnapshotsSqliteDbContext(DbContextOptions<SnapshotsSqliteDbContext> options) : SnapshotsDbContext(options);

public sealed class SnapshotsSqlServerDbContext(DbContextOptions<SnapshotsSqlServerDbContext> options) : SnapshotsDbContext(options);

sealed class SnapshotsSqliteDesignTimeFactory : SqliteDesignTimeFactory<SnapshotsSqliteDbContext>;

sealed class SnapshotsSqlServerDesignTimeFactory : SqlServerDesignTimeFactory<SnapshotsSqlServerDbContext>;
