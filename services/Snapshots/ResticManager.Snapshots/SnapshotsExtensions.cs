using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ResticManager.BuildingBlocks;
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
        });
        builder.Services.AddHostedService<InboxCleanup<SnapshotsDbContext>>();
        return builder;
    }
}
