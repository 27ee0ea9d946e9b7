using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;
using ResticManager.ServiceDefaults;

namespace ResticManager.Jobs;

public static class JobsExtensions
{
    public static IHostApplicationBuilder AddJobs(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<JobsDbContext, JobsSqliteDbContext, JobsSqlServerDbContext>("jobs");
        builder.AddOutbox<JobsDbContext>();
        builder.Services.AddOptions<JobsOptions>().Bind(builder.Configuration.GetSection("Jobs"))
            .Validate(o => o.LostAfter > TimeSpan.Zero, "Jobs:LostAfter must be positive")
            .Validate(o => o.SweepInterval > TimeSpan.Zero, "Jobs:SweepInterval must be positive")
            .Validate(o => o.CommandLifetime > TimeSpan.Zero, "Jobs:CommandLifetime must be positive")
            .Validate(o => o.ScheduledRunMaxAge > TimeSpan.Zero, "Jobs:ScheduledRunMaxAge must be positive")
            .ValidateOnStart();
        builder.Services.AddSingleton<JobsWriteGate>();
        builder.Services.AddSingleton<JobLiveFeed>();
        builder.Services.AddSingleton<RunningJobHosts>();
        builder.Services.AddSingleton<EventStreamCount>();
        builder.Services.AddSingleton<JobMetrics>();
        builder.Services.AddSingleton<JobEvents>();
        builder.Services.AddSingleton<JobDispatcher>();
        builder.Services.AddScoped<JobIntake>();
        builder.Services.AddScoped<JobHosts>();
        builder.Services.AddScoped<JobCancellation>();
        builder.Services.AddScoped<AgentJobReports>();
        builder.Services.AddHostedService<LostAndMissedJobSweeper>();
        builder.Services.AddHostedService<InboxCleanup<JobsDbContext>>();
        builder.Services.AddBusRegistration(x =>
        {
            x.AddConsumer<HostEnrolledConsumer, RetryingConsumerDefinition<HostEnrolledConsumer>>();
            x.AddConsumer<HostLabelsChangedConsumer, RetryingConsumerDefinition<HostLabelsChangedConsumer>>();
            x.AddConsumer<HostRevokedConsumer, RetryingConsumerDefinition<HostRevokedConsumer>>();
            x.AddConsumer<HostRepositoryChangedConsumer, RetryingConsumerDefinition<HostRepositoryChangedConsumer>>();
            x.AddConsumer<AgentPresenceChangedConsumer, RetryingConsumerDefinition<AgentPresenceChangedConsumer>>();
            x.AddConsumer<AgentHelloReceivedConsumer, RetryingConsumerDefinition<AgentHelloReceivedConsumer>>();
            x.AddConsumer<AgentJobStartedConsumer, AgentReportBatchDefinition<AgentJobStartedConsumer>>();
            x.AddConsumer<AgentJobLoggedConsumer, AgentReportBatchDefinition<AgentJobLoggedConsumer>>();
            x.AddConsumer<AgentJobFinishedConsumer, AgentReportBatchDefinition<AgentJobFinishedConsumer>>();
            x.AddConsumer<AgentJobProgressedConsumer, AgentJobProgressedConsumerDefinition>();
            // Live-only (to browsers, nothing written): no retry, as for progress.
            x.AddConsumer<HostSnapshotsChangedConsumer>();
            x.AddConsumer<SourceGroupOverdueConsumer>();
            x.AddConsumer<SourceGroupCaughtUpConsumer>();
            x.AddConsumer<QueueJobConsumer, RetryingConsumerDefinition<QueueJobConsumer>>();
            x.AddRequestClient<GetJobTarget>();
        });
        return builder;
    }
}
