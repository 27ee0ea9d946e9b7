using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Notifications;

public static class EngineExtensions
{
    /// <summary>The consumers of bus events, the rule engine (hold-backs, digests, recoveries) and the delivery dispatcher.</summary>
    public static IHostApplicationBuilder AddNotificationEngine(this IHostApplicationBuilder builder)
    {
        // A bad value stops the process at start with a message naming its key, not a storm of retries later.
        builder.Services.AddOptions<NotificationsOptions>().Bind(builder.Configuration.GetSection("Notifications"))
            .Validate(o => NotificationsOptions.IsValidPublicUrl(o.PublicUrl), "Notifications:PublicUrl must be an absolute http or https URL (the web UI's base, such as https://backups.example.com), without query or fragment.")
            .Validate(o => o.RetryBaseDelay > TimeSpan.Zero, "Notifications:RetryBaseDelay must be a positive time span, such as 00:00:05.")
            .Validate(o => o.MaxRetryDelay >= o.RetryBaseDelay, "Notifications:MaxRetryDelay must be a time span at least Notifications:RetryBaseDelay, such as 00:10:00.")
            .Validate(o => o.GiveUpAfter > TimeSpan.Zero, "Notifications:GiveUpAfter must be a positive time span, such as 1.00:00:00.")
            .Validate(o => o.SendTimeout > TimeSpan.Zero, "Notifications:SendTimeout must be a positive time span, such as 00:00:30.")
            .Validate(o => o.DispatchInterval > TimeSpan.Zero, "Notifications:DispatchInterval must be a positive time span, such as 00:00:01.")
            .Validate(o => o.EngineInterval > TimeSpan.Zero, "Notifications:EngineInterval must be a positive time span, such as 00:00:01.")
            .Validate(o => o.MaxParallelChannels > 0, "Notifications:MaxParallelChannels must be at least 1.")
            .ValidateOnStart();
        builder.AddSecretProtection();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<EngineGate>();
        builder.Services.AddSingleton<DeliverySignal>();
        builder.Services.AddSingleton<NotificationMetrics>();
        builder.Services.AddScoped<DeliveryWriter>();
        builder.Services.AddScoped<RuleEngine>();
        builder.Services.AddScoped<EngineWork>();
        builder.Services.AddScoped<EngineEvents>();
        builder.Services.AddSingleton<EngineTicker>();
        builder.Services.AddHostedService(s => s.GetRequiredService<EngineTicker>());
        builder.Services.AddSingleton<DeliveryDispatcher>();
        builder.Services.AddHostedService(s => s.GetRequiredService<DeliveryDispatcher>());
        builder.Services.AddHostedService<InboxCleanup<NotificationsDbContext>>();
        builder.Services.AddHostedService<HostFactsCatchUp>();
        builder.Services.AddBusRegistration(x =>
        {
            x.AddConsumer<JobStateChangedConsumer, RetryingConsumerDefinition<JobStateChangedConsumer>>();
            x.AddConsumer<HostStateChangedConsumer, EngineBatchConsumerDefinition<HostStateChangedConsumer>>();
            x.AddConsumer<HostEnrolledConsumer, RetryingConsumerDefinition<HostEnrolledConsumer>>();
            x.AddConsumer<HostRevokedConsumer, RetryingConsumerDefinition<HostRevokedConsumer>>();
            x.AddConsumer<HostLabelsChangedConsumer, RetryingConsumerDefinition<HostLabelsChangedConsumer>>();
            x.AddConsumer<SourceGroupChangedConsumer, RetryingConsumerDefinition<SourceGroupChangedConsumer>>();
            x.AddConsumer<SourceGroupOverdueConsumer, RetryingConsumerDefinition<SourceGroupOverdueConsumer>>();
            x.AddConsumer<SourceGroupCaughtUpConsumer, RetryingConsumerDefinition<SourceGroupCaughtUpConsumer>>();
            x.AddConsumer<AgentVersionAssessedConsumer, EngineBatchConsumerDefinition<AgentVersionAssessedConsumer>>();
            x.AddConsumer<AgentRepositoryStatsReportedConsumer, RetryingConsumerDefinition<AgentRepositoryStatsReportedConsumer>>();
        });
        return builder;
    }
}
