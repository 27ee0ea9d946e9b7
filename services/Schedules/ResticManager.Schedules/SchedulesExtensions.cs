using MassTransit;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Quartz;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;
using ResticManager.ServiceDefaults;

namespace ResticManager.Schedules;

public static class SchedulesExtensions
{
    public static IHostApplicationBuilder AddSchedules(this IHostApplicationBuilder builder)
    {
        const string database = "schedules";
        builder.AddServiceDatabase<SchedulesDbContext, SchedulesSqliteDbContext, SchedulesSqlServerDbContext>(database);
        // Overdue and caught-up announcements are written with the group's change and published from here.
        builder.AddOutbox<SchedulesDbContext>();
        builder.Services.AddSchedulesMetrics();
        var section = builder.Configuration.GetSection("Schedules");
        // A bad value stops the process at start with a message naming its key, not a wrong schedule later.
        builder.Services.AddOptions<SchedulesOptions>().Bind(section)
            .Validate(o => o.OverdueFactor > 1, "Schedules:OverdueFactor must be > 1: a group is overdue after its expected interval times this factor, so 1 or less flags every on-time backup.")
            .Validate(o => o.OverdueCheckInterval > TimeSpan.Zero, "Schedules:OverdueCheckInterval must be a positive time span, such as 00:01:00.")
            .Validate(o => o.MisfireThreshold > TimeSpan.Zero, "Schedules:MisfireThreshold must be a positive time span, such as 00:01:00.")
            .ValidateOnStart();
        // Read by name only, before the binder (which would take a number), and refused naming the key.
        var store = builder.Configuration.GetEnum("Schedules:Store", QuartzStore.Database);
        var options = section.Get<SchedulesOptions>() ?? new SchedulesOptions();
        builder.Services.AddQuartz(q =>
        {
            q.ConfigureScheduler(o => o.InstanceName = "restic-manager");
            if (store == QuartzStore.Memory)
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
            x.AddConsumer<GroupBackupConsumer, GroupBackupConsumerDefinition>();
            x.AddConsumer<HostLabelsChangedConsumer, RetryingConsumerDefinition<HostLabelsChangedConsumer>>();
            x.AddConsumer<RevokedHostSchedulesConsumer, RetryingConsumerDefinition<RevokedHostSchedulesConsumer>>();
            x.AddConsumer<RepublishGroupsConsumer, RetryingConsumerDefinition<RepublishGroupsConsumer>>();
            x.AddRequestClient<QueueJob>();
            x.AddRequestClient<GetJobTarget>();
        });
        return builder;
    }

    /// <summary>
    /// Host routes check the caller's scope first (this service's copy of the labels, no lookup for a
    /// caller at scope *), then <see cref="KnownHostFilter"/> asks the inventory whether the host exists:
    /// two different questions, each asked once per request.
    /// </summary>
    public static IEndpointRouteBuilder MapSchedules(this IEndpointRouteBuilder app)
    {
        app.MapHostScopedGroup<SchedulesDbContext>().MapSourceGroups().MapScheduleEndpoints().MapMaintenance();
        return app;
    }
}
