using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;

namespace ResticManager.IntegrationTests;

/// <summary>
/// The audit log in the distributed mode: a service records what it answered and publishes it over RabbitMQ
/// to the gateway, which stores it; the gateway's proxy routes record nothing themselves, so a request is in
/// the log once. The client address is the one the gateway saw (forwarded in X-Forwarded-For, believed only with a
/// gateway token), never what a client wrote in that header.
/// </summary>
[Collection(DistributedCollection.Name)]
public sealed class DistributedAuditTests(DistributedFixture fixture)
{
    [Fact]
    public async Task A_request_a_service_answered_is_in_the_gateways_log_once_with_the_address_the_gateway_saw()
    {
        var gateway = fixture.Gateway;
        // The client calls from 127.0.0.2: the gateway sees that address, a service sees only the gateway's (127.0.0.1).
        using var client = ClientFrom(IPAddress.Parse("127.0.0.2"));
        var viaGateway = "audit-probe-" + Guid.NewGuid().ToString("N")[..12];
        var direct = "audit-probe-" + Guid.NewGuid().ToString("N")[..12];

        // Through the gateway with a forged header: the inventory answers 404 for the unknown host.
        using (var request = Forged(HttpMethod.Delete, $"/api/hosts/{viaGateway}", gateway.AdminToken))
        using (var response = await client.SendAsync(WithBase(request, gateway.BaseUrl)))
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        // Straight to the inventory, skipping the gateway: refused as anonymous, so not even recorded (anyone could
        // send those without end).
        using (var request = Forged(HttpMethod.Delete, $"/api/hosts/{direct}", gateway.AdminToken))
        using (var response = await client.SendAsync(WithBase(request, fixture.Inventory.BaseUrl)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        JsonElement proxied = default;
        await Eventually.HoldsAsync(async () =>
        {
            proxied = await OnlyEntryAsync(viaGateway);
            return proxied.ValueKind == JsonValueKind.Object;
        }, TimeSpan.FromSeconds(30), "the proxied request reaches the gateway's audit log");

        Assert.Equal(("bootstrap-admin", "DELETE /api/hosts/{hostId}", 404, "127.0.0.2"),
            (proxied.GetProperty("actorId").GetString(), proxied.GetProperty("action").GetString(), proxied.GetProperty("result").GetInt32(), proxied.GetProperty("clientAddress").GetString()));

        // The gateway's proxy route did not record the first request again (it would under its own route, without a
        // hostId): once a later request the gateway answered itself is in the log, the probe is in one entry only.
        var marker = "audit-marker-" + Guid.NewGuid().ToString("N")[..12];
        using (var response = await gateway.Api.DeleteAsync($"/api/api-tokens/{marker}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        await Eventually.HoldsAsync(async () => (await LogTextAsync()).Any(e => e.Contains(marker, StringComparison.Ordinal)), TimeSpan.FromSeconds(30), "the gateway's own request is logged");
        var log = await LogTextAsync();
        Assert.Single(log, e => e.Contains(viaGateway, StringComparison.Ordinal));
        Assert.DoesNotContain(log, e => e.Contains(direct, StringComparison.Ordinal));
        Assert.DoesNotContain(log, e => e.Contains("203.0.113.7", StringComparison.Ordinal));
    }

    async Task<List<string>> LogTextAsync()
    {
        using var doc = JsonDocument.Parse(await fixture.Gateway.Api.GetStringAsync("/api/audit?limit=500"));
        return doc.RootElement.GetProperty("items").EnumerateArray().Select(e => e.GetRawText()).ToList();
    }

    static HttpClient ClientFrom(IPAddress local) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(local, 0));
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    });

    static HttpRequestMessage WithBase(HttpRequestMessage request, string baseUrl)
    {
        request.RequestUri = new Uri(new Uri(baseUrl), request.RequestUri!);
        return request;
    }

    static HttpRequestMessage Forged(HttpMethod method, string path, string token)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        return request;
    }

    /// <summary>The one entry about this host, or default while there is none; more than one fails.</summary>
    async Task<JsonElement> OnlyEntryAsync(string hostId)
    {
        using var doc = JsonDocument.Parse(await fixture.Gateway.Api.GetStringAsync($"/api/audit?hostId={hostId}"));
        var items = doc.RootElement.GetProperty("items").EnumerateArray().Select(e => e.Clone()).ToList();
        Assert.True(items.Count <= 1, string.Join('\n', items));
        return items.SingleOrDefault();
    }
}
