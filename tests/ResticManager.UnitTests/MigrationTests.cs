using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using ResticManager.Access;
using ResticManager.Inventory;
using ResticManager.Jobs;
using ResticManager.Notifications;
using ResticManager.Schedules;
using ResticManager.Snapshots;

namespace ResticManager.UnitTests;

/// <summary>
/// Every service has one migrations set per provider, and each set matches its model. The SQL Server
/// script is generated offline: no SQL Server runs on these machines.
/// </summary>
public sealed class MigrationTests
{
    public static TheoryData<string> Contexts => new()
    {
        nameof(AccessSqliteDbContext), nameof(AccessSqlServerDbContext),
        nameof(InventorySqliteDbContext), nameof(InventorySqlServerDbContext),
        nameof(JobsSqliteDbContext), nameof(JobsSqlServerDbContext),
        nameof(SnapshotsSqliteDbContext), nameof(SnapshotsSqlServerDbContext),
        nameof(SchedulesSqliteDbContext), nameof(SchedulesSqlServerDbContext),
        nameof(NotificationsSqliteDbContext), nameof(NotificationsSqlServerDbContext),
    };

    static DbContext Create(string name)
    {
        var contextType = new[] { typeof(AccessDbContext).Assembly, typeof(InventoryDbContext).Assembly, typeof(JobsDbContext).Assembly, typeof(SnapshotsDbContext).Assembly, typeof(SchedulesDbContext).Assembly, typeof(NotificationsDbContext).Assembly }
            .SelectMany(a => a.GetTypes()).Single(t => t.Name == name);
        var factoryType = contextType.Assembly.GetTypes()
            .Single(t => typeof(IDesignTimeDbContextFactory<>).MakeGenericType(contextType).IsAssignableFrom(t));
        var factory = Activator.CreateInstance(factoryType, nonPublic: true)!;
        return (DbContext)factoryType.GetMethod("CreateDbContext")!.Invoke(factory, [Array.Empty<string>()])!;
    }

    [Theory]
    [MemberData(nameof(Contexts))]
    public void The_migrations_match_the_model(string context)
    {
        using var db = Create(context);
        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.False(db.Database.HasPendingModelChanges(), $"{context} has model changes without a migration");
    }

    [Theory]
    [MemberData(nameof(Contexts))]
    public void A_script_is_generated_offline_idempotent_for_sql_server(string context)
    {
        using var db = Create(context);
        var sqlServer = context.Contains("SqlServer", StringComparison.Ordinal);
        // SQLite cannot generate idempotent scripts; its databases are migrated in-process at start.
        var script = db.GetService<IMigrator>().GenerateScript(options: sqlServer ? MigrationsSqlGenerationOptions.Idempotent : MigrationsSqlGenerationOptions.Default);
        Assert.Contains("CREATE TABLE", script);
        if (sqlServer)
        {
            Assert.Contains("IF NOT EXISTS (", script.Replace("IF NOT EXISTS(", "IF NOT EXISTS (", StringComparison.Ordinal));
            Assert.Contains("[__EFMigrationsHistory]", script);
        }
    }
}
