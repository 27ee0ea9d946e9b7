using Microsoft.EntityFrameworkCore;
using ResticManager.ServiceDefaults;

namespace ResticManager.UnitTests;

/// <summary>A service's context on a migrated SQLite file in a folder of its own, removed with it.</summary>
public sealed class SqliteTestDatabase<TContext> : IAsyncDisposable where TContext : DbContext
{
    readonly TempDirectory folder;

    SqliteTestDatabase(TempDirectory folder, DbContextOptions<TContext> options)
    {
        this.folder = folder;
        Options = options;
    }

    public DbContextOptions<TContext> Options { get; }

    /// <summary>A new context on the file (each test or concurrent task may open its own).</summary>
    public TContext Open() => (TContext)Activator.CreateInstance(typeof(TContext), Options)!;

    public static async Task<SqliteTestDatabase<TContext>> CreateAsync(string name)
    {
        var folder = new TempDirectory($"rm-{name}");
        var options = new DbContextOptionsBuilder<TContext>().UseSqlite(DatabaseExtensions.SqliteConnectionString(folder.Path, name)).Options;
        var database = new SqliteTestDatabase<TContext>(folder, options);
        await using var db = database.Open();
        await db.Database.MigrateAsync();
        return database;
    }

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        folder.Dispose();
        return ValueTask.CompletedTask;
    }
}
