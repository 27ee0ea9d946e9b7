using Microsoft.EntityFrameworkCore;

namespace ResticManager.Access;

public class AccessDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<User> Users => Set<User>();
    public DbSet<BrowserSession> Sessions => Set<BrowserSession>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

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
        model.ApplyConfigurationsFromAssembly(typeof(AccessDbContext).Assembly);
    }
}
