using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ResticManager.ServiceDefaults;

/// <summary>
/// Lets <c>dotnet ef migrations add/script</c> create a provider-specific context without a host.
/// Each service declares one subclass per provider; the connection strings are never opened.
/// </summary>
public abstract class SqliteDesignTimeFactory<TContext> : IDesignTimeDbContextFactory<TContext> where TContext : DbContext
{
    public TContext CreateDbContext(string[] args) =>
        (TContext)Activator.CreateInstance(typeof(TContext), new DbContextOptionsBuilder<TContext>().UseSqlite("Data Source=design-time.db").Options)!;
}
