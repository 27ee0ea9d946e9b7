using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;
using ResticManager.Protocol;
using ResticManager.ServiceDefaults;

namespace ResticManager.Notifications;

/// <summary>
/// Where and as whom the fleet stream publisher connects: as <see cref="ServiceClients.Username"/> with the shared
/// service secret to the embedded or distributed MQTTnet broker, or as the bridge's user to an external broker
/// (whose ACL written by the inventory lets that user write the fleet and discovery trees). Same resolution as
/// the snapshots service's agent-query requester.
/// </summary>
public sealed record FleetStreamBroker(Uri Url, string? Username, string? Password)
{
    public static FleetStreamBroker Resolve(IConfiguration configuration, FleetStreamOptions options, ServiceMqttCredentials credentials)
    {
        if (string.Equals(configuration["Mqtt:Mode"], "External", StringComparison.OrdinalIgnoreCase))
        {
            var url = options.BrokerUrl ?? configuration["Mqtt:External:Url"];
            return new FleetStreamBroker(new Uri(url ?? throw new InvalidOperationException("Mqtt:External:Url (or FleetStream:BrokerUrl) must be set when Mqtt:Mode is External")),
                configuration["Mqtt:External:Username"], configuration["Mqtt:External:Password"]);
        }

        if (options.BrokerUrl is { Length: > 0 } configured)
        {
            return new FleetStreamBroker(new Uri(configured), ServiceClients.Username, credentials.Password);
        }

        // The embedded broker listens on Mqtt:BindAddress (all interfaces by default): loopback reaches it unless bound elsewhere.
        var bind = configuration["Mqtt:BindAddress"];
        var host = !IPAddress.TryParse(bind, out var address) || address.Equals(IPAddress.Any) ? "127.0.0.1"
            : address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        var port = int.TryParse(configuration["Mqtt:Port"], NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : 1883;
        return new FleetStreamBroker(new Uri($"mqtt://{host}:{port}"), ServiceClients.Username, credentials.Password);
    }
}
