using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ResticManager.Protocol;
using ResticManager.ServiceDefaults;

namespace ResticManager.Notifications;

public static class FleetStreamExtensions
{
    /// <summary>The key of the publisher's <see cref="ServiceBrokerConnection"/> among the process's services.</summary>
    public const string BrokerKey = "fleet-stream";

    /// <summary>The read-only fleet stream: retained host state under <c>rm/v1/fleet/</c> and Home Assistant discovery.</summary>
    public static IHostApplicationBuilder AddFleetStream(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<FleetSignal>();
        builder.Services.AddOptions<FleetStreamOptions>()
            .Bind(builder.Configuration.GetSection(FleetStreamOptions.Section))
            .Validate(o => o.RefreshInterval >= TimeSpan.FromSeconds(1), "FleetStream:RefreshInterval must be at least 00:00:01")
            .Validate(o => FleetTopics.IsValidDiscoveryPrefix(o.HomeAssistant.DiscoveryPrefix),
                "FleetStream:HomeAssistant:DiscoveryPrefix must be topic levels of letters, digits, '_' and '-', not under rm/")
            .Validate(o => o.BrokerUrl is null || BrokerUrls.IsValid(o.BrokerUrl), "FleetStream:BrokerUrl must be an absolute mqtt://, mqtts://, ws:// or wss:// URL")
            .ValidateOnStart();
        if (!builder.Configuration.GetValue(FleetStreamOptions.Section + ":Enabled", true))
        {
            return builder;
        }

        // One instance per process: in the embedded server the broker and the snapshots service share it.
        builder.Services.TryAddSingleton<ServiceMqttCredentials>();
        builder.Services.AddKeyedSingleton(BrokerKey, (sp, _) => ServiceBrokerConnection.Resolve(
            sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<IOptions<FleetStreamOptions>>().Value.BrokerUrl, "FleetStream:BrokerUrl", sp.GetRequiredService<ServiceMqttCredentials>()));
        builder.Services.AddHostedService<FleetStreamPublisher>();
        return builder;
    }
}
