using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ResticManager.Protocol;
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
        builder.AddOutbox<SnapshotsDbContext>();
        builder.Services.AddSnapshotsMetrics();
        builder.Services.AddBusRegistration(x =>
        {
            x.AddConsumer<HostEnrolledConsumer, RetryingConsumerDefinition<HostEnrolledConsumer>>();
            x.AddConsumer<HostLabelsChangedConsumer, RetryingConsumerDefinition<HostLabelsChangedConsumer>>();
            x.AddConsumer<AgentSnapshotsReportedConsumer, AgentSnapshotsReportedConsumerDefinition>();
            x.AddConsumer<AgentRepositoryStatsReportedConsumer, RetryingConsumerDefinition<AgentRepositoryStatsReportedConsumer>>();
            // Restore requests: hosts are the inventory's, jobs the jobs service's.
            x.AddRequestClient<GetJobTarget>();
            x.AddRequestClient<QueueJob>();
        });
        builder.Services.AddHostedService<InboxCleanup<SnapshotsDbContext>>();
        builder.AddAgentQueries();
        return builder;
    }

    /// <summary>The requester of agent queries (browse, find, diff, download), and its tree cache.</summary>
    static void AddAgentQueries(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AgentQueryOptions>()
            .Bind(builder.Configuration.GetSection(AgentQueryOptions.Section))
            .Validate(o => o.Timeout > TimeSpan.Zero, "AgentQueries:Timeout must be positive")
            .Validate(o => o.MaxInFlightPerAgent >= 1, "AgentQueries:MaxInFlightPerAgent must be at least 1")
            .Validate(o => o.DownloadWindow is >= 1 and <= 64, "AgentQueries:DownloadWindow must be between 1 and 64")
            .Validate(o => o.DownloadIdleTimeout > TimeSpan.Zero, "AgentQueries:DownloadIdleTimeout must be positive")
            .Validate(o => o.TreeCacheEntries >= 0, "AgentQueries:TreeCacheEntries must not be negative")
            .Validate(o => o.BrokerUrl is null || BrokerUrls.IsValid(o.BrokerUrl), "AgentQueries:BrokerUrl must be an absolute mqtt://, mqtts://, ws:// or wss:// URL")
            .ValidateOnStart();
        builder.Services.TryAddSingleton<ServiceMqttCredentials>();
        builder.Services.AddKeyedSingleton(AgentQueryClient.BrokerKey, (sp, _) => ServiceBrokerConnection.Resolve(
            sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<IOptions<AgentQueryOptions>>().Value.BrokerUrl, "AgentQueries:BrokerUrl", sp.GetRequiredService<ServiceMqttCredentials>()));
        builder.Services.AddSingleton<AgentQueryClient>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AgentQueryClient>());
        builder.Services.AddSingleton<SnapshotTrees>();
    }
}
