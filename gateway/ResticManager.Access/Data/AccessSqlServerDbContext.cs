using Microsoft.EntityFrameworkCore;
using ResticManager.ServiceDefaults;

namespace ResticManager.Access;

public sealed class AccessSqlServerDbContext(DbContextOptions<AccessSqlServerDbContext> options) : AccessDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder model)
    {
        base.OnModelCreating(model);
        // A provider's subject is case-sensitive (Entra ID's is mixed-case base64): two subjects differing
        // only in case are two people, so they must not meet in one account or one unique index entry.
        model.Entity<User>().Property(u => u.ExternalIssuer).UseCollation(SqlServerCollations.Ordinal);
        model.Entity<User>().Property(u => u.ExternalSubject).UseCollation(SqlServerCollations.Ordinal);
    }
}
