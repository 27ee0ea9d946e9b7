using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace ResticManager.Access;

/// <summary>
/// The access database. It also holds the ASP.NET Core Data Protection key ring (<see cref="IDataProtectionKeyContext"/>),
/// so every gateway replica reads what another protected (the single sign-on state and correlation cookies).
/// </summary>
public class AccessDbContext(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<User> Users => Set<User>();
    public DbSet<BrowserSession> Sessions => Set<BrowserSession>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<ApiToken>(e =>
        {
            e.ToTable("api_tokens");
            e.HasKey(t => t.Id);
            e.Property(t => t.Id).HasMaxLength(32);
            e.Property(t => t.Name).HasMaxLength(100);
            e.Property(t => t.TokenHash).HasMaxLength(64);
            e.Property(t => t.Grants).HasMaxLength(4000);
            e.HasIndex(t => t.TokenHash).IsUnique();
        });
        model.Entity<DataProtectionKey>().ToTable("data_protection_keys");
        model.ApplyConfigurationsFromAssembly(typeof(AccessDbContext).Assembly);
    }
}
