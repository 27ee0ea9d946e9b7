using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;
using ResticManager.ServiceDefaults;
using ResticManager.Protocol;

namespace ResticManager.Snapshots;

/// <summary>
/// Where and as whom the requester connects. The embedded and the distributed MQTTnet broker know
/// services by <see cref="ServiceClients.Username"/> and the shared service secret; an external broker
/// (mosquitto, EMQX) knows only its own users, so there the requester uses the bridge's user, whose ACL
/// already covers every agent's topics.
/// </summary>
public sealed record AgentQueryBroker(Uri Url, string? Username, string? Password)
{
    public static AgentQueryBroker Resolve(IConfiguration configuration, AgentQueryOptions options, ServiceMqttCredentials credentials)
    {
        if (string.Equals(configuration["Mqtt:Mode"], "External", StringComparison.OrdinalIgnoreCase))
        {
            var url = options.BrokerUrl ?? configuration["Mqtt:External:Url"];
            return new AgentQueryBroker(new Uri(url ?? throw new InvalidOperationException("Mqtt:External:Url (or AgentQueries:BrokerUrl) must be set when Mqtt:Mode is External")),
                configuration["Mqtt:External:Username"], configuration["Mqtt:External:Password"]);
        }

        if (options.BrokerUrl is { Length: > 0 } configured)
        {
            return new AgentQueryBroker(new Uri(configured), ServiceClients.Username, credentials.Password);
        }

        // The embedded broker listens on Mqtt:BindAddress (all interfaces by default): loopback reaches it unless bound elsewhere.
        var bind = configuration["Mqtt:BindAddress"];
        var host = !IPAddress.TryParse(bind, out var address) || address.Equals(IPAddress.Any) ? "127.0.0.1"
            : address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        var port = int.TryParse(configuration["Mqtt:Port"], NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : 1883;
        return new AgentQueryBroker(new Uri($"mqtt://{host}:{port}"), ServiceClients.Username, credentials.Password);
    }
}
