using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace ResticManager.ServiceDefaults;

/// <summary>
/// <c>Http:TrustedProxies</c>: the reverse proxies (addresses and/or CIDR networks, comma-separated) whose
/// <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> this process believes. Behind such a proxy the
/// connection's address is the proxy's, so without this every client would share one login rate-limit
/// bucket and one audit address, and a TLS-terminating proxy's https would not be seen.
/// <para>
/// Unset, those headers are never read: they are then the client's own word. Set, a header is taken only
/// from a listed proxy, hop by hop from the right, and the walk stops at the first address not listed (the
/// client's): a client cannot forge its way past the proxy, whatever it puts in the header itself.
/// </para>
/// </summary>
public static class TrustedProxies
{
    public const string Setting = "Http:TrustedProxies";

    /// <summary>The forwarded-headers options for the configured proxies, or null when none are configured.</summary>
    public static ForwardedHeadersOptions? Read(IConfiguration configuration)
    {
        var value = configuration[Setting];
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
            // Each hop is checked against the list, so the walk ends at the first unlisted address whatever the
            // number of listed proxies in a row (a load balancer before the Ingress, say); no count to keep in step.
            ForwardLimit = null,
        };

        // Exactly the configured proxies: not the framework's default of loopback.
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var entry in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (entry.Contains('/', StringComparison.Ordinal) && System.Net.IPNetwork.TryParse(entry, out var network))
            {
                options.KnownIPNetworks.Add(network);
            }
            else if (!entry.Contains('/', StringComparison.Ordinal) && IPAddress.TryParse(entry, out var address))
            {
                options.KnownProxies.Add(address);
            }
            else
            {
                throw new OptionsValidationException(Setting, typeof(ForwardedHeadersOptions),
                    [$"{Setting} must list IP addresses and/or CIDR networks (like 10.0.0.0/8) separated by commas; '{entry}' is neither"]);
            }
        }

        if (options.KnownProxies.Count == 0 && options.KnownIPNetworks.Count == 0)
        {
            throw new OptionsValidationException(Setting, typeof(ForwardedHeadersOptions), [$"{Setting} lists no address or network"]);
        }

        return options;
    }
}
