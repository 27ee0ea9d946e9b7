using Microsoft.EntityFrameworkCore;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Snapshots;

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
        model.AddHostLabels(this);
        model.AddInbox();
        model.AddOutbox();
    }
}
