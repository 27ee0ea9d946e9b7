using Microsoft.EntityFrameworkCore;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Inventory;

public enum HostStatus
{
    Pending,
    Online,
    Stale,
    Offline,
    Revoked,
}

/// <summary>A one-time enrollment token; only its hash is stored.</summary>
public sealed class EnrollmentToken
{
    public required string Id { get; init; }
    public required string TokenHash { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime ExpiresAt { get; init; }
    public string? CreatedBy { get; init; }
    public DateTime? UsedAt { get; set; }
    public string? UsedByAgentId { get; set; }
}

/// <summary>
/// An enrolled host; its id is the agent id. Every change after enrollment is a conditional
/// single-statement update (see <see cref="Presence"/>), so concurrent consumers never lose one
/// another's writes and redelivered events change nothing.
/// </summary>
public sealed class Host
{
    public required string Id { get; init; }
    public required string Hostname { get; set; }
    public required string Os { get; set; }
    public required string Arch { get; set; }
    public string? AgentVersion { get; set; }
    public string? ResticVersion { get; set; }
    public int? ProtocolVersion { get; set; }
    public HostStatus Status { get; set; }

    /// <summary>connectionSeq × 2, plus 1 once that connection went offline: larger always means newer.</summary>
    public long PresenceVersion { get; set; } = -1;

    public DateTime EnrolledAt { get; init; }
    public DateTime? FirstSeenAt { get; set; }
    public DateTime? LastSeenAt { get; set; }
    public int HeartbeatIntervalSeconds { get; set; } = 30;

    /// <summary>When an online host becomes stale if no heartbeat arrives (3 heartbeat intervals after the last).</summary>
    public DateTime? StaleAfter { get; set; }

    public required string CredentialHash { get; set; }

    /// <summary>The same secret hashed in mosquitto's password-file format, for the external broker mode.</summary>
    public string? BrokerPasswordHash { get; set; }
    public DateTime? RevokedAt { get; set; }
}

/// <summary>
/// Where a host backs up to. Password, credential and env values are encrypted at rest
/// (<see cref="ResticManager.ServiceDefaults.SecretProtector"/>) and never leave the server except to that agent.
/// </summary>
public sealed class HostRepository
{
    public required string HostId { get; init; }
    public required string Url { get; set; }
    public required string ProtectedPassword { get; set; }
    public string? Username { get; set; }
    public string? ProtectedCredential { get; set; }

    /// <summary>The env map as protected JSON; its names are kept in the clear for display.</summary>
    public string? ProtectedEnv { get; set; }
    public string? EnvNames { get; set; }
    public int? UploadLimitKBps { get; set; }
    public int? DownloadLimitKBps { get; set; }

    /// <summary>Grows with every change, so the agent and the jobs service can tell stale config from current.</summary>
    public long Version { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>
/// Separate access to a host's repository for forget and prune only (for instance rest-server's
/// non-append-only endpoint): these can delete data, so backups never get them. Null fields keep the
/// binding's value. Secrets are protected like <see cref="HostRepository"/>'s; the row goes with the binding.
/// </summary>
public sealed class RepositoryAdminCredentials
{
    public required string HostId { get; init; }
    public string? Url { get; set; }
    public string? Username { get; set; }
    public string? ProtectedCredential { get; set; }
    public string? ProtectedPassword { get; set; }
    public string? ProtectedEnv { get; set; }
    public string? EnvNames { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public class InventoryDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<Host> Hosts => Set<Host>();
    public DbSet<HostRepository> Repositories => Set<HostRepository>();
    public DbSet<RepositoryAdminCredentials> AdminCredentials => Set<RepositoryAdminCredentials>();
    public DbSet<EnrollmentToken> EnrollmentTokens => Set<EnrollmentToken>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<Host>(e =>
        {
            e.ToTable("hosts");
            e.HasKey(h => h.Id);
            e.Property(h => h.Id).HasMaxLength(64);
            e.Property(h => h.Hostname).HasMaxLength(253);
            e.Property(h => h.Os).HasMaxLength(128);
            e.Property(h => h.Arch).HasMaxLength(128);
            e.Property(h => h.AgentVersion).HasMaxLength(128);
            e.Property(h => h.ResticVersion).HasMaxLength(128);
            e.Property(h => h.Status).HasConversion<string>().HasMaxLength(16);
            e.Property(h => h.CredentialHash).HasMaxLength(64);
            e.Property(h => h.BrokerPasswordHash).HasMaxLength(256);
            e.HasIndex(h => new { h.Status, h.StaleAfter });
        });
        model.Entity<HostRepository>(e =>
        {
            e.ToTable("host_repositories");
            e.HasKey(r => r.HostId);
            e.Property(r => r.HostId).HasMaxLength(64);
            e.Property(r => r.Url).HasMaxLength(2048);
            e.Property(r => r.Username).HasMaxLength(256);
            e.Property(r => r.EnvNames).HasMaxLength(4096);
        });
        model.Entity<RepositoryAdminCredentials>(e =>
        {
            e.ToTable("host_repository_admin_credentials");
            e.HasKey(a => a.HostId);
            e.Property(a => a.HostId).HasMaxLength(64);
            e.Property(a => a.Url).HasMaxLength(2048);
            e.Property(a => a.Username).HasMaxLength(256);
            e.Property(a => a.EnvNames).HasMaxLength(4096);
            // Unbinding the repository (a single DELETE statement) takes its admin credentials with it.
            e.HasOne<HostRepository>().WithOne().HasForeignKey<RepositoryAdminCredentials>(a => a.HostId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<EnrollmentToken>(e =>
        {
            e.ToTable("enrollment_tokens");
            e.HasKey(t => t.Id);
            e.Property(t => t.Id).HasMaxLength(32);
            e.Property(t => t.TokenHash).HasMaxLength(64);
            e.Property(t => t.CreatedBy).HasMaxLength(100);
            e.Property(t => t.UsedByAgentId).HasMaxLength(64);
            e.HasIndex(t => t.TokenHash).IsUnique();
        });
    }
}

public sealed class InventorySqliteDbContext(DbContextOptions<InventorySqliteDbContext> options) : InventoryDbContext(options);

public sealed class InventorySqlServerDbContext(DbContextOptions<InventorySqlServerDbContext> options) : InventoryDbContext(options);

sealed class InventorySqliteDesignTimeFactory : SqliteDesignTimeFactory<InventorySqliteDbContext>;

sealed class InventorySqlServerDesignTimeFactory : SqlServerDesignTimeFactory<InventorySqlServerDbContext>;
