using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static ResticManager.UnitTests.BrowserLogin;

namespace ResticManager.UnitTests;

/// <summary>Browser sessions: the cookie's flags, antiforgery, cross-site refusal, timeouts, logout and /api/me.</summary>
public sealed class SessionTests
{
    [Fact]
    public async Task Login_sets_an_HttpOnly_SameSite_Strict_cookie_and_answers_the_user_and_its_antiforgery_token()
    {
        await using var server = await InProcessServer.StartAsync();
        var userId = await CreateUserAsync(server, "alice", grants: [new { role = "viewer", scope = "label:team=db" }]);
        using var client = Client(server);

        using var response = await PostLoginAsync(client, "ALICE", Password);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var setCookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        var flags = setCookie.Split(';', StringSplitOptions.TrimEntries);
        Assert.StartsWith("rm_session=", flags[0], StringComparison.Ordinal);
        Assert.True(flags[0].Length - "rm_session=".Length >= 43, "256 random bits");
        Assert.Contains("httponly", flags, StringComparer.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", flags, StringComparer.OrdinalIgnoreCase);
        Assert.Contains("path=/", flags, StringComparer.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", flags, StringComparer.OrdinalIgnoreCase);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(userId, body.RootElement.GetProperty("user").GetProperty("id").GetString());
        Assert.Equal("alice", body.RootElement.GetProperty("user").GetProperty("name").GetString());
        Assert.Equal("viewer@label:team=db", string.Join(' ', body.RootElement.GetProperty("user").GetProperty("grants").EnumerateArray()
            .Select(g => g.GetProperty("role").GetString() + "@" + g.GetProperty("scope").GetString())));
        Assert.False(string.IsNullOrEmpty(body.RootElement.GetProperty("csrfToken").GetString()));
    }

    [Fact]
    public async Task Behind_HTTPS_the_cookie_is_Secure_and_carries_the_Host_prefix_and_only_that_name_is_accepted()
    {
        await using var server = await InProcessServer.StartAsync(null, "--Auth:Session:SecureCookie", "true");
        await CreateUserAsync(server, "alice");
        using var client = Client(server);

        var session = await LoginAsync(client, "alice");
        var flags = session.SetCookie.Split(';', StringSplitOptions.TrimEntries);
        Assert.StartsWith("__Host-rm_session=", flags[0], StringComparison.Ordinal);
        Assert.Contains("secure", flags, StringComparer.OrdinalIgnoreCase);
        Assert.Contains("httponly", flags, StringComparer.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", flags, StringComparer.OrdinalIgnoreCase);
        Assert.Contains("path=/", flags, StringComparer.OrdinalIgnoreCase);
        Assert.DoesNotContain(flags, f => f.StartsWith("domain=", StringComparison.OrdinalIgnoreCase));

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, Request(HttpMethod.Get, "/api/me", session)));
        // The proxy in front speaks HTTPS to the browser: that is the origin its requests carry.
        var fromBrowser = Request(HttpMethod.Get, "/api/me", session);
        fromBrowser.Headers.Add("Origin", "https://" + server.Api.BaseAddress!.Authority);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, fromBrowser));
        // The same secret under the name without the prefix could have been planted by anyone on the path.
        var plain = session with { Cookie = "rm_session=" + session.Secret };
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(client, Request(HttpMethod.Get, "/api/me", plain)));
    }

    [Fact]
    public async Task Over_real_HTTPS_the_cookie_is_Secure_with_the_Host_prefix_without_being_told()
    {
        using var folder = new TempDirectory("rm-tls");
        var pfx = folder.Combine("server.pfx");
        using (var key = System.Security.Cryptography.RSA.Create(2048))
        {
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(
                "CN=127.0.0.1", key, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            await File.WriteAllBytesAsync(pfx, certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx, "test"));
        }

        await using var server = await InProcessServer.StartAsync(null,
            "--Urls", "https://127.0.0.1:0", "--Kestrel:Certificates:Default:Path", pfx, "--Kestrel:Certificates:Default:Password", "test",
            "--Bootstrap:AdminUser", "alice", "--Bootstrap:AdminPassword", Password);
        var handler = new SocketsHttpHandler { UseCookies = false };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        using var client = new HttpClient(handler) { BaseAddress = new Uri(server.App.Urls.First()) };
        Assert.Equal("https", client.BaseAddress.Scheme);

        var session = await LoginAsync(client, "alice");
        var flags = session.SetCookie.Split(';', StringSplitOptions.TrimEntries);
        Assert.StartsWith("__Host-rm_session=", flags[0], StringComparison.Ordinal);
        Assert.Contains("secure", flags, StringComparer.OrdinalIgnoreCase);
        Assert.Contains("httponly", flags, StringComparer.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", flags, StringComparer.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, Request(HttpMethod.Get, "/api/me", session)));
    }

    [Fact]
    public async Task A_state_changing_request_with_the_cookie_needs_the_antiforgery_header_before_anything_runs()
    {
        await using var server = await InProcessServer.StartAsync();
        await CreateUserAsync(server, "alice");
        using var client = Client(server);
        var session = await LoginAsync(client, "alice");

        using var missing = await client.SendAsync(Request(HttpMethod.Post, "/api/api-tokens", session, new { name = "ci", role = "viewer" }, csrf: false));
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await missing.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("X-CSRF-Token", out _));

        var wrong = session with { Csrf = session.Csrf[..^2] + (session.Csrf[^1] == 'A' ? "BB" : "AA") };
        Assert.Equal(HttpStatusCode.BadRequest, await StatusAsync(client, Request(HttpMethod.Post, "/api/api-tokens", wrong, new { name = "ci", role = "viewer" })));
        Assert.Equal(HttpStatusCode.BadRequest, await StatusAsync(client, Request(HttpMethod.Delete, "/api/session", session, csrf: false)));

        // Nothing was created by the refused requests; a GET needs no header; with the header the POST goes through.
        using var listed = await server.Api.GetFromJsonAsync<JsonDocument>("/api/api-tokens");
        Assert.Single(listed!.RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, Request(HttpMethod.Get, "/api/api-tokens", session, csrf: false)));
        Assert.Equal(HttpStatusCode.Created, await StatusAsync(client, Request(HttpMethod.Post, "/api/api-tokens", session, new { name = "ci", role = "viewer" })));

        // API tokens need no such header: a browser never adds them on its own.
        using var withToken = await server.Api.PostAsJsonAsync("/api/api-tokens", new { name = "ci2", role = "viewer" });
        Assert.Equal(HttpStatusCode.Created, withToken.StatusCode);
    }

    [Fact]
    public async Task The_cookie_is_never_accepted_cross_site_and_a_login_must_come_from_this_site_as_JSON()
    {
        await using var server = await InProcessServer.StartAsync();
        await CreateUserAsync(server, "alice");
        using var client = Client(server);
        var session = await LoginAsync(client, "alice");

        var crossSite = Request(HttpMethod.Get, "/api/me", session);
        crossSite.Headers.Add("Sec-Fetch-Site", "cross-site");
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(client, crossSite));
        var siblingSite = Request(HttpMethod.Get, "/api/me", session);
        siblingSite.Headers.Add("Sec-Fetch-Site", "same-site");
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(client, siblingSite));
        var otherOrigin = Request(HttpMethod.Get, "/api/me", session);
        otherOrigin.Headers.Add("Origin", "https://evil.example");
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(client, otherOrigin));
        var sameOrigin = Request(HttpMethod.Get, "/api/me", session);
        sameOrigin.Headers.Add("Origin", server.Api.BaseAddress!.GetLeftPart(UriPartial.Authority));
        sameOrigin.Headers.Add("Sec-Fetch-Site", "same-origin");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, sameOrigin));

        using var crossLogin = new HttpRequestMessage(HttpMethod.Post, "/api/session") { Content = JsonContent.Create(new { username = "alice", password = Password }) };
        crossLogin.Headers.Add("Sec-Fetch-Site", "cross-site");
        using var crossAnswer = await client.SendAsync(crossLogin);
        Assert.Equal(HttpStatusCode.Forbidden, crossAnswer.StatusCode);
        Assert.False(crossAnswer.Headers.Contains("Set-Cookie"));

        // A form post is what another site can make a browser send without asking: not a login. Routing
        // refuses a body that is not JSON before the endpoint (as 415, or 401 to an anonymous caller,
        // since its refusal is an endpoint under the default policy).
        using var form = await client.PostAsync("/api/session", new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = "alice", ["password"] = Password }));
        Assert.True(form.StatusCode is HttpStatusCode.UnsupportedMediaType or HttpStatusCode.Unauthorized, $"a form login answered {(int)form.StatusCode}");
        Assert.False(form.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task A_session_ends_after_the_idle_timeout_and_after_the_absolute_timeout_however_busy()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var server = await InProcessServer.StartAsync(clock, "--Auth:Session:IdleTimeout", "00:10:00", "--Auth:Session:AbsoluteTimeout", "01:00:00");
        await CreateUserAsync(server, "alice");
        using var client = Client(server);

        var idle = await LoginAsync(client, "alice");
        clock.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, Request(HttpMethod.Get, "/api/me", idle)));
        clock.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, Request(HttpMethod.Get, "/api/me", idle)));
        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(client, Request(HttpMethod.Get, "/api/me", idle)));
        clock.Advance(TimeSpan.FromSeconds(-1));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(client, Request(HttpMethod.Get, "/api/me", idle)));

        var busy = await LoginAsync(client, "alice");
        for (var minute = 0; minute < 59; minute += 5)
        {
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, Request(HttpMethod.Get, "/api/me", busy)));
            clock.Advance(TimeSpan.FromMinutes(5));
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(client, Request(HttpMethod.Get, "/api/me", busy)));
    }

    [Fact]
    public async Task Logout_ends_the_session_and_clears_the_cookie_and_each_login_gets_a_new_session()
    {
        await using var server = await InProcessServer.StartAsync();
        await CreateUserAsync(server, "alice");
        using var client = Client(server);
        var first = await LoginAsync(client, "alice");

        // Logging in again from the same browser replaces its session rather than reusing it.
        using var again = new HttpRequestMessage(HttpMethod.Post, "/api/session") { Content = JsonContent.Create(new { username = "alice", password = Password }) };
        again.Headers.Add("Cookie", first.Cookie);
        again.Headers.Add("X-CSRF-Token", first.Csrf);
        using var againAnswer = await client.SendAsync(again);
        Assert.Equal(HttpStatusCode.OK, againAnswer.StatusCode);
        var second = Assert.Single(againAnswer.Headers.GetValues("Set-Cookie")).Split(';')[0];
        Assert.NotEqual(first.Cookie, second);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(client, Request(HttpMethod.Get, "/api/me", first)));

        var current = await LoginAsync(client, "alice");
        using var logout = await client.SendAsync(Request(HttpMethod.Delete, "/api/session", current));
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        var cleared = Assert.Single(logout.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("rm_session=;", cleared, StringComparison.Ordinal);
        Assert.Contains("expires=Thu, 01 Jan 1970", cleared, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(client, Request(HttpMethod.Get, "/api/me", current)));
    }

    [Fact]
    public async Task Me_answers_for_a_session_and_for_an_API_token()
    {
        await using var server = await InProcessServer.StartAsync();
        var userId = await CreateUserAsync(server, "alice", grants: [new { role = "operator", scope = "label:site=paris" }, new { role = "viewer", scope = "*" }]);
        using var client = Client(server);
        var session = await LoginAsync(client, "alice");

        using var asUser = await client.SendAsync(Request(HttpMethod.Get, "/api/me", session));
        using var user = JsonDocument.Parse(await asUser.Content.ReadAsStringAsync());
        Assert.Equal(userId, user.RootElement.GetProperty("id").GetString());
        Assert.Equal("alice", user.RootElement.GetProperty("name").GetString());
        Assert.Equal("user", user.RootElement.GetProperty("kind").GetString());
        Assert.Equal("operator", user.RootElement.GetProperty("role").GetString());
        Assert.Equal(2, user.RootElement.GetProperty("grants").GetArrayLength());
        Assert.Equal(session.Csrf, user.RootElement.GetProperty("csrfToken").GetString());

        using var token = JsonDocument.Parse(await server.Api.GetStringAsync("/api/me"));
        Assert.Equal("token", token.RootElement.GetProperty("kind").GetString());
        Assert.Equal("admin", token.RootElement.GetProperty("role").GetString());
        Assert.False(token.RootElement.TryGetProperty("csrfToken", out _));
    }

    [Fact]
    public async Task Local_login_can_be_switched_off()
    {
        await using var server = await InProcessServer.StartAsync(null, "--Auth:LocalLogin:Enabled", "false");
        await CreateUserAsync(server, "alice");
        using var client = Client(server);
        using var response = await PostLoginAsync(client, "alice", Password);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("local login is disabled", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }
}
