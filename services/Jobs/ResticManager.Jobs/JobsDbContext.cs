using Microsoft.EntityFrameworkCore;
using ResticManager.Contracts;
using ResticManager.Protocol;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Jobs;

public sealed class Job
{
    public required string Id { get; init; }
    public required string HostId { get; init; }
    public JobKind Kind { get; init; }
    public JobStatus Status { get; set; }

    /// <summary>paths, excludes, tags, retention, options as sent to the agent (JSON).</summary>
    public required string RequestJson { get; init; }
    public int? TimeoutSeconds { get; init; }
    public string? CreatedBy { get; init; }
    public string? ScheduleId { get; init; }
    public string? SourceGroupId { get; init; }

    /// <summary>The caller's idempotency key (<see cref="QueueJob.RequestId"/>): asking again returns this job.</summary>
    public string? RequestId { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? DispatchedAt { get; set; }

    /// <summary>The host's presence version the job was last sent on; a newer connection gets it again.</summary>
    public long DispatchedOnPresence { get; set; } = -1;
    public DateTime? StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    public int? ExitCode { get; set; }
    public string? Error { get; set; }
    public string? SummaryJson { get; set; }
    public long LogLines { get; set; }
    public bool CancelRequested { get; set; }

    public bool IsFinal => Status is JobStatus.Succeeded or JobStatus.Warning or JobStatus.Failed or JobStatus.Cancelled or JobStatus.Missed;
}

public sealed class JobLogLine
{
    public required string JobId { get; init; }
    public long N { get; init; }
    public DateTime At { get; init; }
    public LogStream Stream { get; init; }
    public required string Text { get; init; }
}

/// <summary>The jobs service's own view of a host, kept from inventory events.</summary>
public sealed class JobHost
{
    public required string Id { get; init; }
    public bool Online { get; set; }
    public long PresenceVersion { get; set; } = -1;
    public DateTime? OfflineSince { get; set; }
    public bool Revoked { get; set; }
    /// <summary>The bound repository's config version; null while unbound.</summary>
    public long? RepositoryVersion { get; set; }

    /// <summary>Version of the last binding change applied (bind or unbind), so an older one arriving late changes nothing.</summary>
    public long RepositoryChangeVersion { get; set; }
    public long InitializedVersion { get; set; }
    public long InitRequestedVersion { get; set; }
}

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
        model.AddInbox();
    }
}

public sealed class JobsSqliteDbContext(DbContextOptions<JobsSqliteDbContext> options) : JobsDbContext(options);

public sealed class JobsSqlServerDbContext(DbContextOptions<JobsSqlServerDbContext> options) : JobsDbContext(options);

sealed class JobsSqliteDesignTimeFactory : SqliteDesignTimeFactory<JobsSqliteDbContext>;

sealed class JobsSqlServerDesignTimeFactory : SqlServerDesignTimeFactory<JobsSqlServerDbContext>;
