using Microsoft.EntityFrameworkCore;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Inventory;

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
            // The dashboard lists hosts by name, a page at a time.
            e.HasIndex(h => new { h.Hostname, h.Id });
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
        model.AddHostLabels(this);
        model.AddOutbox();
    }
}
