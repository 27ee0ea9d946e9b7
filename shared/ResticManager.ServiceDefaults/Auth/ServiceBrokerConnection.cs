using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;
using MQTTnet;
using MQTTnet.Formatter;
using ResticManager.Protocol;

namespace ResticManager.ServiceDefaults;

/// <summary>
/// Where and as whom a service's own MQTT client connects (the snapshots service's agent queries, the
/// notifications service's fleet stream). The embedded and the distributed MQTTnet broker know services by
/// <see cref="ServiceClients.Username"/> and the shared service secret; an external broker (mosquitto, EMQX)
/// knows only its own users, so there the service uses the bridge's user, whose ACL the inventory writes.
/// </summary>
public sealed record ServiceBrokerConnection(Uri Url, string? Username, string? Password)
{
    /// <summary>A service client's options: MQTT 5, a clean start (a service keeps no session), 30 s keep-alive.</summary>
    public MqttClientOptions ClientOptions(string clientId) => new MqttClientOptionsBuilder()
        .WithConnectionUri(Url)
        .WithProtocolVersion(MqttProtocolVersion.V500)
        .WithClientId(clientId)
        .WithCredentials(Username, Password)
        .WithCleanStart(true)
        .WithKeepAlivePeriod(TimeSpan.FromSeconds(30))
        .WithTimeout(TimeSpan.FromSeconds(10))
        .Build();

    /// <param name="brokerUrl">The service's own broker URL setting, if any.</param>
    /// <param name="brokerUrlKey">That setting's key, named in the error when an external broker has no URL.</param>
    public static ServiceBrokerConnection Resolve(IConfiguration configuration, string? brokerUrl, string brokerUrlKey, ServiceMqttCredentials credentials)
    {
        if (string.Equals(configuration["Mqtt:Mode"], "External", StringComparison.OrdinalIgnoreCase))
        {
            var url = brokerUrl ?? configuration["Mqtt:External:Url"];
            return new ServiceBrokerConnection(new Uri(url ?? throw new InvalidOperationException($"Mqtt:External:Url (or {brokerUrlKey}) must be set when Mqtt:Mode is External")),
                configuration["Mqtt:External:Username"], configuration["Mqtt:External:Password"]);
        }

        if (brokerUrl is { Length: > 0 } configured)
        {
            return new ServiceBrokerConnection(new Uri(configured), ServiceClients.Username, credentials.Password);
        }

        // The embedded broker listens on Mqtt:BindAddress (all interfaces by default): loopback reaches it unless bound elsewhere.
        var bind = configuration["Mqtt:BindAddress"];
        var host = !IPAddress.TryParse(bind, out var address) || address.Equals(IPAddress.Any) ? "127.0.0.1"
            : address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        var port = int.TryParse(configuration["Mqtt:Port"], NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : 1883;
        return new ServiceBrokerConnection(new Uri($"mqtt://{host}:{port}"), ServiceClients.Username, credentials.Password);
    }
}
