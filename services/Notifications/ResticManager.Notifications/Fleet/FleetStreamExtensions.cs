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
        builder.Services.AddOptions<FleetStreamOptions>()
            .Bind(builder.Configuration.GetSection(FleetStreamOptions.Section))
            .Validate(o => o.RefreshInterval >= TimeSpan.FromSeconds(1), "FleetStream:RefreshInterval must be at least 00:00:01")
            .Validate(o => FleetTopics.IsValidDiscoveryPrefix(o.HomeAssistant.DiscoveryPrefix),
                "FleetStream:HomeAssistant:DiscoveryPrefix must be topic levels of letters, digits, '_' and '-', not under rm/")
            .Validate(o => o.BrokerUrl is null || BrokerUrls.IsValid(o.BrokerUrl), "FleetStream:BrokerUrl must be an absolute mqtt://, mqtts://, ws:// or wss:// URL")
            .Validate(o => o.CoalesceWindow >= TimeSpan.Zero && o.CoalesceWindow <= TimeSpan.FromSeconds(10), "FleetStream:CoalesceWindow must be a time span from 00:00:00 to 00:00:10")
            .ValidateOnStart();
        var published = builder.Configuration.GetValue(FleetStreamOptions.Section + ":Enabled", true) && SomeReaderCanSubscribe(builder.Configuration);
        builder.Services.AddSingleton(new FleetSignal(listened: published));
        if (!published)
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

    /// <summary>
    /// False only when the stream would go to this process's embedded broker (no <c>FleetStream:BrokerUrl</c>, not
    /// <c>Mqtt:Mode</c> External) and that broker, reading the same configuration, has no reader user
    /// (<c>Mqtt:Readers</c>): only readers may subscribe to the stream, so every publish would be routing work
    /// (matched against every agent's session) for nobody. Adding a reader takes a restart, and the publisher
    /// publishes everything retained when it connects, so a reader never finds it out of date. Another broker's
    /// readers cannot be seen from here: there the stream is always published.
    /// </summary>
    public static bool SomeReaderCanSubscribe(IConfiguration configuration)
    {
        var external = string.Equals(configuration["Mqtt:Mode"], "External", StringComparison.OrdinalIgnoreCase);
        if (external || !string.IsNullOrEmpty(configuration[FleetStreamOptions.Section + ":BrokerUrl"]))
        {
            return true;
        }

        return configuration.GetSection("Mqtt:Readers").GetChildren().Any(reader => !string.IsNullOrEmpty(reader["Username"]));
    }
}
