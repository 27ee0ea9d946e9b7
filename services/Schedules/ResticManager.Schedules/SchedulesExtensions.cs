using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Quartz;
using ResticManager.Contracts;
using ResticManager.ServiceDefaults;

namespace ResticManager.Schedules;

public static class SchedulesExtensions
{
    public static IHostApplicationBuilder AddSchedules(this IHostApplicationBuilder builder)
    {
        const string database = "schedules";
        builder.AddServiceDatabase<SchedulesDbContext, SchedulesSqliteDbContext, SchedulesSqlServerDbContext>(database);
        var section = builder.Configuration.GetSection("Schedules");
        builder.Services.Configure<SchedulesOptions>(section);
        var options = section.Get<SchedulesOptions>() ?? new SchedulesOptions();
        builder.Services.AddQuartz(q =>
        {
            q.ConfigureScheduler(o => o.InstanceName = "restic-manager");
            if (options.Store.Equals("Memory", StringComparison.OrdinalIgnoreCase))
            {
                q.UseInMemoryStore(s => s.MisfireThreshold = options.MisfireThreshold);
                return;
            }

            // Quartz's tables live in the service's own database; Quartz creates the ones missing (its own
            // schema, versioned with Quartz). An upgrade of Quartz that adds columns needs its migration scripts.
            var connectionString = builder.Configuration.GetServiceConnectionString(database);
            q.UsePersistentStore(s =>
            {
                s.ProvisionSchema();
                s.UseSystemTextJsonSerializer();
                s.ConfigureStore(o => o.MisfireThreshold = options.MisfireThreshold);
                if (builder.Configuration.GetDatabaseProvider() == DatabaseProvider.SqlServer)
                {
                    s.UseSqlServer(connectionString);
                    s.UseClustering();
                }
                else
                {
                    // SQLite cannot be clustered: one schedules node per file.
                    s.UseSqlite(connectionString);
                }
            });
        });
        // Migrations (and so the Quartz tables) run before the host starts; the reconciler runs before Quartz fires.
        builder.Services.AddHostedService<TriggerReconciler>();
        builder.Services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        builder.Services.AddSingleton<QuartzTriggers>();
        builder.Services.AddSingleton<OverdueRule>();
        builder.Services.AddScoped<OverdueTracker>();
        builder.Services.AddScoped<JobRequests>();
        builder.Services.AddScoped<HostDirectory>();
        builder.Services.AddScoped<MaintenanceLauncher>();
        builder.Services.AddHostedService<OverdueMonitor>();
        builder.Services.AddBusRegistration(x =>
        {
            x.AddConsumer<GroupBackupConsumer>();
            x.AddConsumer<RevokedHostSchedulesConsumer>();
            x.AddRequestClient<QueueJob>();
            x.AddRequestClient<GetJobTarget>();
        });
        return builder;
    }

    public static IEndpointRouteBuilder MapSchedules(this IEndpointRouteBuilder app) =>
        app.MapSourceGroups().MapScheduleEndpoints().MapMaintenance();
}
