using Microsoft.EntityFrameworkCore;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Access;

public sealed class ApiToken
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public required string TokenHash { get; init; }
    public required string Role { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime? RevokedAt { get; set; }
}

public class AccessDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<ApiToken>(e =>
        {
            e.ToTable("api_tokens");
            e.HasKey(t => t.Id);
            e.Property(t => t.Id).HasMaxLength(32);
            e.Property(t => t.Name).HasMaxLength(100);
            e.Property(t => t.TokenHash).HasMaxLength(64);
            e.Property(t => t.Role).HasMaxLength(16);
            e.HasIndex(t => t.TokenHash).IsUnique();
        });
    }
}

public sealed class AccessSqliteDbContext(DbContextOptions<AccessSqliteDbContext> options) : AccessDbContext(options);

public sealed class AccessSqlServerDbContext(DbContextOptions<AccessSqlServerDbContext> options) : AccessDbContext(options);

sealed class AccessSqliteDesignTimeFactory : SqliteDesignTimeFactory<AccessSqliteDbContext>;

sealed class AccessSqlServerDesignTimeFactory : SqlServerDesignTimeFactory<AccessSqlServerDbContext>;
