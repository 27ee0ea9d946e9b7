using System.Net;
using System.Net.Sockets;

namespace ResticManager.FleetSimulator.Agents;

/// <summary>Where the agents connect: <c>mqtt://host:port</c>, resolved once for the whole fleet.</summary>
internal static class BrokerEndpoint
{
    public static async Task<EndPoint> ResolveAsync(string url, CancellationToken ct)
    {
        var uri = new Uri(url);
        if (uri.Scheme is not ("mqtt" or "tcp"))
        {
            throw new NotSupportedException($"the simulator speaks plain MQTT over TCP only, not {uri.Scheme}:// ({url})");
        }

        var port = uri.Port > 0 ? uri.Port : 1883;
        if (IPAddress.TryParse(uri.Host, out var address))
        {
            return new IPEndPoint(address, port);
        }

        var addresses = await Dns.GetHostAddressesAsync(uri.Host, ct);
        var chosen = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault()
            ?? throw new InvalidOperationException($"{uri.Host} does not resolve");
        return new IPEndPoint(chosen, port);
    }
}
