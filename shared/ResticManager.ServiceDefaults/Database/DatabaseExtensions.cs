using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ResticManager.BuildingBlocks;

namespace ResticManager.ServiceDefaults;

/// <summary>
/// Each service owns one database. <c>Database:Provider</c> picks SQLite (a file <c>{name}.db</c> under
/// <c>Data:Path</c>, default <c>./data</c>) or SQL Server (<c>ConnectionStrings:{name}</c>). Because
/// one migrations set cannot serve two providers, each service has a provider-specific subclass
/// of its context per provider, each with its own migrations folder.
/// </summary>
public static class DatabaseExtensions
{
    /// <summary>One for the process: it remembers which pooled native connections already have their settings.</summary>
    static readonly SqliteConnectionSettings SqliteSettings = new();

    public static DatabaseProvider GetDatabaseProvider(this IConfiguration configuration) =>
        configuration.GetEnum("Database:Provider", DatabaseProvider.Sqlite);

    public static IHostApplicationBuilder AddServiceDatabase<TContext, TSqliteContext, TSqlServerContext>(this IHostApplicationBuilder builder, string name)
        where TContext : DbContext
        where TSqliteContext : TContext
        where TSqlServerContext : TContext
    {
        var connectionString = builder.Configuration.GetServiceConnectionString(name);
        switch (builder.Configuration.GetDatabaseProvider())
        {
            case DatabaseProvider.Sqlite:
                builder.Services.AddDbContext<TContext, TSqliteContext>((services, o) => o.UseSqlite(connectionString)
                    .AddInterceptors(services.GetServices<OutboxCommitInterceptor>()).AddInterceptors(SqliteSettings));
                break;
            case DatabaseProvider.SqlServer:
                builder.Services.AddDbContext<TContext, TSqlServerContext>((services, o) => o.UseSqlServer(connectionString, s => s.EnableRetryOnFailure()).AddInterceptors(services.GetServices<OutboxCommitInterceptor>()));
                break;
        }

        builder.Services.AddSingleton<IDatabaseInitializer, DatabaseInitializer<TContext>>();
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck<TContext>>($"db-{name}", tags: [Extensions.ReadyTag]);
        return builder;
    }

    /// <summary>The connection string of service database <paramref name="name"/> for the configured provider.</summary>
    public static string GetServiceConnectionString(this IConfiguration configuration, string name) =>
        configuration.GetConnectionString(name) ?? (configuration.GetDatabaseProvider() == DatabaseProvider.Sqlite
            ? SqliteConnectionString(configuration.GetDataPath(), name)
            : throw new InvalidOperationException($"Database:Provider is SqlServer but ConnectionStrings:{name} is not set."));

    public static string SqliteConnectionString(string dataPath, string name) =>
        new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataPath, name + ".db"),
            Pooling = true,
            // Concurrent consumers write to the same file: wait for the lock rather than fail (the driver retries
            // busy statements for this long; SqliteConnectionSettings makes SQLite itself wait as long, in finer steps).
            DefaultTimeout = SqliteConnectionSettings.BusyTimeoutMs / 1000,
        }.ToString();

    /// <summary>Creates or upgrades every service database of this process before it serves anything.</summary>
    public static async Task MigrateDatabasesAsync(this IHost host, CancellationToken cancellationToken = default)
    {
        foreach (var initializer in host.Services.GetServices<IDatabaseInitializer>())
        {
            await initializer.InitializeAsync(host.Services, cancellationToken);
        }
    }
}
