using MassTransit;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ResticManager.BuildingBlocks;
using ResticManager.Protocol;
using ResticManager.ServiceDefaults;

namespace ResticManager.Inventory;

public static class InventoryExtensions
{
    public static IHostApplicationBuilder AddInventory(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<InventoryDbContext, InventorySqliteDbContext, InventorySqlServerDbContext>("inventory");
        builder.AddSecretProtection();
        builder.AddOutbox<InventoryDbContext>();
        builder.Services.AddOptions<InventoryOptions>()
            .Bind(builder.Configuration.GetSection(InventoryOptions.Section))
            .Validate(o => o.StaleCheckInterval > TimeSpan.Zero, "Inventory:StaleCheckInterval must be positive")
            .Validate(o => o.EnrollmentTokenLifetime > TimeSpan.Zero, "Inventory:EnrollmentTokenLifetime must be positive")
            .Validate(o => string.IsNullOrWhiteSpace(o.MqttPublicUrl) || BrokerUrls.IsValid(o.MqttPublicUrl),
                "Inventory:MqttPublicUrl must be an absolute mqtt://, mqtts://, ws:// or wss:// URL")
            .ValidateOnStart();
        builder.Services.AddOptions<InstallOptions>()
            .Bind(builder.Configuration.GetSection(InstallOptions.Section))
            .Validate(o => !string.IsNullOrWhiteSpace(o.AgentBuildsPath), "Install:AgentBuildsPath must name a folder")
            .ValidateOnStart();
        builder.Services.AddSingleton(sp => AgentBuildCatalogue.Load(
            Path.GetFullPath(sp.GetRequiredService<IOptions<InstallOptions>>().Value.AgentBuildsPath),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<AgentBuildCatalogue>()));
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<HeartbeatIntake>();
        builder.Services.AddHostedService<StaleHostSweeper>();
        builder.Services.AddInventoryMetrics();
        builder.Services.AddBusRegistration(x =>
        {
            x.AddConsumer<AuthenticateAgentConsumer, AnswerConsumerDefinition<AuthenticateAgentConsumer>>();
            x.AddConsumer<AgentHelloReceivedConsumer, PresenceBatchConsumerDefinition<AgentHelloReceivedConsumer>>();
            x.AddConsumer<AgentPresenceChangedConsumer, PresenceBatchConsumerDefinition<AgentPresenceChangedConsumer>>();
            x.AddConsumer<AgentHeartbeatReceivedConsumer, AgentHeartbeatReceivedConsumerDefinition>();
            x.AddConsumer<BrokerStartedConsumer, RetryingConsumerDefinition<BrokerStartedConsumer>>();
            x.AddConsumer<GetJobTargetConsumer, AnswerConsumerDefinition<GetJobTargetConsumer>>();
            x.AddConsumer<SendJobWithAdminAccessConsumer, RetryingConsumerDefinition<SendJobWithAdminAccessConsumer>>();
            x.AddConsumer<SendJobWithSourceAccessConsumer, RetryingConsumerDefinition<SendJobWithSourceAccessConsumer>>();
            x.AddConsumer<HostRepositoryChangedConsumer, RetryingConsumerDefinition<HostRepositoryChangedConsumer>>();
            x.AddConsumer<RepublishHostFactsConsumer, RetryingConsumerDefinition<RepublishHostFactsConsumer>>();
        });
        return builder;
    }

    public static IEndpointRouteBuilder MapInventory(this IEndpointRouteBuilder app)
    {
        app.MapHostScopedGroup<InventoryDbContext>().MapEnrollment().MapHosts().MapRepositories();
        app.MapInstall();
        return app;
    }
}
