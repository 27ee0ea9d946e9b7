using Microsoft.EntityFrameworkCore;

namespace ResticManager.Inventory;

public sealed class InventorySqlServerDbContext(DbContextOptions<InventorySqlServerDbContext> options) : InventoryDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder model)
    {
        base.OnModelCreating(model);
        // SQLite's write lock makes enrollments check the hostname one after the other; on SQL Server two
        // could both pass the check, so a unique index over the hosts not revoked decides (its default
        // collation ignores case, as the check does).
        model.Entity<Host>().HasIndex(h => h.Hostname).IsUnique().HasFilter("[Status] <> N'Revoked'").HasDatabaseName("IX_hosts_Hostname_live");
    }
}
