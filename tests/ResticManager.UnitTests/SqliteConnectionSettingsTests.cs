using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ResticManager.Inventory;
using ResticManager.ServiceDefaults;

namespace ResticManager.UnitTests;

/// <summary>Every SQLite connection of a service waits for a busy file and commits to disk (WAL, synchronous FULL), on each pooled reuse too.</summary>
public sealed class SqliteConnectionSettingsTests
{
    [Fact]
    public async Task A_service_database_connection_waits_when_busy_and_keeps_full_durability()
    {
        using var data = new TempDirectory("rm-sqlite-settings");
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Data:Path"] = data.Path });
        builder.AddServiceDatabase<InventoryDbContext, InventorySqliteDbContext, InventorySqlServerDbContext>("inventory");
        using var host = builder.Build();
        await host.MigrateDatabasesAsync();
        try
        {
            for (var reuse = 0; reuse < 2; reuse++)
            {
                await using var scope = host.Services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<InventoryDbContext>();
                await db.Database.OpenConnectionAsync();
                Assert.Equal(SqliteConnectionSettings.BusyTimeoutMs.ToString(System.Globalization.CultureInfo.InvariantCulture), await PragmaAsync(db, "busy_timeout"));
                Assert.Equal("2", await PragmaAsync(db, "synchronous")); // FULL
                Assert.Equal("wal", await PragmaAsync(db, "journal_mode"));
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }
    }

    static async Task<string?> PragmaAsync(DbContext db, string name)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = $"PRAGMA {name};";
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
