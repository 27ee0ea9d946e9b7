using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;
using ResticManager.ServiceDefaults;

namespace ResticManager.Snapshots;

public static class SnapshotsExtensions
{
    public static IHostApplicationBuilder AddSnapshots(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<SnapshotsDbContext, SnapshotsSqliteDbContext, SnapshotsSqlServerDbContext>("snapshots");
        builder.Services.AddBusRegistration(x =>
        {
            x.AddConsumer<HostEnrolledConsumer, RetryingConsumerDefinition<HostEnrolledConsumer>>();
            x.AddConsumer<AgentSnapshotsReportedConsumer, AgentSnapshotsReportedConsumerDefinition>();
            x.AddConsumer<AgentRepositoryStatsReportedConsumer, RetryingConsumerDefinition<AgentRepositoryStatsReportedConsumer>>();
            // Restore requests: hosts are the inventory's, jobs the jobs service's.
            x.AddRequestClient<GetJobTarget>();
            x.AddRequestClient<QueueJob>();
        });
        builder.Services.AddHostedService<InboxCleanup<SnapshotsDbContext>>();
        return builder;
    }
}
