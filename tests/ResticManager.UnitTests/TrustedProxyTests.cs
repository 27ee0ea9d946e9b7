using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ResticManager.Access;
using static ResticManager.UnitTests.BrowserLogin;

namespace ResticManager.UnitTests;

/// <summary>
/// Behind a reverse proxy (<c>Http:TrustedProxies</c>) the client's address and scheme are the forwarded
/// ones: each client has its own login budget and audit address, and a TLS-terminating proxy's https makes
/// the session cookie Secure. From anyone else, X-Forwarded-* is the client's word and changes nothing.
/// </summary>
public sealed class TrustedProxyTests
{
    const string Wrong = "not the password at all";
    const int PerMinute = 3;

    static async Task<HttpStatusCode> LoginAsync(HttpClient client, string forwardedFor, string username = "alice", string password = Wrong, string? proto = null, string? origin = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/session") { Content = JsonContent.Create(new { username, password }) };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        if (proto is not null)
        {
            request.Headers.Add("X-Forwarded-Proto", proto);
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>Uses up a forwarded client's login budget, checking that the next attempt is refused with 429.</summary>
    static async Task UseUpBudgetAsync(HttpClient client, string forwardedFor)
    {
        for (var i = 0; i < PerMinute; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await LoginAsync(client, forwardedFor));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, await LoginAsync(client, forwardedFor));
    }

    static async Task<bool> AuditedFromAsync(InProcessServer server, string address)
    {
        await using var scope = server.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AccessDbContext>().AuditEntries
            .AnyAsync(e => e.Action == "POST /api/session" && e.ClientAddress == address);
    }

    [Fact]
    public async Task Behind_a_trusted_proxy_each_forwarded_client_has_its_own_login_budget_and_audit_address()
    {
        await using var server = await InProcessServer.StartAsync(null,
            "--Http:TrustedProxies", "127.0.0.1", "--Auth:Login:PerAddressPerMinute", PerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await CreateUserAsync(server, "alice");
        using var client = Client(server);

        await UseUpBudgetAsync(client, "203.0.113.10");
        // Another client behind the same proxy is not blocked by the first one.
        await UseUpBudgetAsync(client, "203.0.113.20");
        // What a client writes itself left of its real address is not believed: the proxy appended the real one.
        Assert.Equal(HttpStatusCode.TooManyRequests, await LoginAsync(client, "198.51.100.7, 203.0.113.10"));

        await Eventually.HoldsAsync(async () => await AuditedFromAsync(server, "203.0.113.10") && await AuditedFromAsync(server, "203.0.113.20"),
            TimeSpan.FromSeconds(15), "the refused logins are recorded with the forwarded client addresses");
        Assert.False(await AuditedFromAsync(server, "127.0.0.1"));
        Assert.False(await AuditedFromAsync(server, "198.51.100.7"));
    }

    [Theory]
    [InlineData(null)]
    // Loopback is not trusted by default once proxies are listed: exactly the listed ones are.
    [InlineData("10.9.9.9, 192.0.2.0/24")]
    public async Task From_an_untrusted_address_a_forged_forwarded_header_changes_nothing(string? trustedProxies)
    {
        string[] settings = ["--Auth:Login:PerAddressPerMinute", PerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        await using var server = await InProcessServer.StartAsync(null, trustedProxies is null ? settings : [.. settings, "--Http:TrustedProxies", trustedProxies]);
        await CreateUserAsync(server, "alice");
        using var client = Client(server);

        await UseUpBudgetAsync(client, "203.0.113.10");
        Assert.Equal(HttpStatusCode.TooManyRequests, await LoginAsync(client, "203.0.113.20"));
        await Eventually.HoldsAsync(() => AuditedFromAsync(server, "127.0.0.1"), TimeSpan.FromSeconds(15), "the refused logins are recorded with the connection's address");
        Assert.False(await AuditedFromAsync(server, "203.0.113.10"));
    }

    [Fact]
    public async Task Https_forwarded_by_the_trusted_proxy_makes_the_session_cookie_Secure_with_the_Host_prefix_and_the_origin_https()
    {
        await using var server = await InProcessServer.StartAsync(null, "--Http:TrustedProxies", "127.0.0.0/8");
        await CreateUserAsync(server, "alice");
        using var client = Client(server);
        var authority = server.Api.BaseAddress!.Authority;

        // The browser's page is https: an Origin of http on this host is now another site.
        Assert.Equal(HttpStatusCode.Forbidden, await LoginAsync(client, "203.0.113.10", password: Password, proto: "https", origin: $"http://{authority}"));

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/session") { Content = JsonContent.Create(new { username = "alice", password = Password }) };
        request.Headers.Add("X-Forwarded-For", "203.0.113.10");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("Origin", $"https://{authority}");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var flags = Assert.Single(response.Headers.GetValues("Set-Cookie")).Split(';', StringSplitOptions.TrimEntries);
        Assert.StartsWith("__Host-rm_session=", flags[0], StringComparison.Ordinal);
        Assert.Contains("secure", flags, StringComparer.OrdinalIgnoreCase);

        // The cookie counts on https requests through the proxy, and its name means nothing on plain http.
        foreach (var (proto, expected) in new[] { ("https", HttpStatusCode.OK), ("http", HttpStatusCode.Unauthorized) })
        {
            var me = new HttpRequestMessage(HttpMethod.Get, "/api/me");
            me.Headers.Add("Cookie", flags[0]);
            me.Headers.Add("X-Forwarded-Proto", proto);
            Assert.Equal(expected, await StatusAsync(client, me));
        }
    }

    [Fact]
    public async Task Without_trusted_proxies_forwarded_https_does_not_make_the_cookie_Secure()
    {
        await using var server = await InProcessServer.StartAsync(null);
        await CreateUserAsync(server, "alice");
        using var client = Client(server);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/session") { Content = JsonContent.Create(new { username = "alice", password = Password }) };
        request.Headers.Add("X-Forwarded-Proto", "https");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("rm_session=", Assert.Single(response.Headers.GetValues("Set-Cookie")), StringComparison.Ordinal);
    }
}
