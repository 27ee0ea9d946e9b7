using Microsoft.EntityFrameworkCore;
using ResticManager.Contracts;
using ResticManager.Protocol;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Jobs;

public class JobsDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<Job> Jobs => Set<Job>();
    public DbSet<JobLogLine> LogLines => Set<JobLogLine>();
    public DbSet<JobHost> Hosts => Set<JobHost>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<Job>(e =>
        {
            e.ToTable("jobs");
            e.HasKey(j => j.Id);
            e.Property(j => j.Id).HasMaxLength(32);
            e.Property(j => j.HostId).HasMaxLength(64);
            e.Property(j => j.Kind).HasConversion<string>().HasMaxLength(16);
            e.Property(j => j.Status).HasConversion<string>().HasMaxLength(16);
            e.Property(j => j.CreatedBy).HasMaxLength(100);
            e.Property(j => j.ScheduleId).HasMaxLength(32);
            e.Property(j => j.SourceGroupId).HasMaxLength(32);
            e.Property(j => j.RequestId).HasMaxLength(128);
            e.HasIndex(j => j.RequestId).IsUnique();
            e.HasIndex(j => new { j.ScheduleId, j.Id });
            e.Property(j => j.Error).HasMaxLength(4000);
            e.Ignore(j => j.IsFinal);
            e.HasIndex(j => new { j.HostId, j.Status, j.Id });
            e.HasIndex(j => new { j.Status, j.Id });
            // The dashboard: a host's last backup and its daily results, and the fleet's jobs ended lately.
            e.HasIndex(j => new { j.HostId, j.Kind, j.FinishedAt });
            e.HasIndex(j => j.FinishedAt);
        });
        model.Entity<JobLogLine>(e =>
        {
            e.ToTable("job_log_lines");
            e.HasKey(l => new { l.JobId, l.N });
            e.Property(l => l.JobId).HasMaxLength(32);
            e.Property(l => l.Stream).HasConversion<string>().HasMaxLength(8);
            e.Property(l => l.Text).HasMaxLength(8192);
        });
        model.Entity<JobHost>(e =>
        {
            e.ToTable("job_hosts");
            e.HasKey(h => h.Id);
            e.Property(h => h.Id).HasMaxLength(64);
        });
        model.AddHostLabels(this);
        model.AddInbox();
        model.AddOutbox();
    }
}
