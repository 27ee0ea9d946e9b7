using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ResticManager.Contracts;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Jobs;

public static class JobsExtensions
{
    public static IHostApplicationBuilder AddJobs(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<JobsDbContext, JobsSqliteDbContext, JobsSqlServerDbContext>("jobs");
        builder.Services.Configure<JobsOptions>(builder.Configuration.GetSection("Jobs"));
        builder.Services.AddSingleton<JobLiveFeed>();
        builder.Services.AddSingleton<JobEvents>();
        builder.Services.AddSingleton<JobDispatcher>();
        builder.Services.AddScoped<JobIntake>();
        builder.Services.AddHostedService<JobMaintenance>();
        builder.Services.AddHostedService<InboxCleanup<JobsDbContext>>();
        builder.Services.AddBusRegistration(x =>
        {
            x.AddConsumer<JobHostConsumers>();
            x.AddConsumer<AgentJobConsumers>();
            x.AddConsumer<QueueJobConsumer>();
            x.AddRequestClient<GetJobTarget>();
        });
        return builder;
    }
}
