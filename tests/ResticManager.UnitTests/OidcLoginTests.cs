using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ResticManager.ServiceDefaults;

namespace ResticManager.UnitTests;

[CollectionDefinition(Name)]
public sealed class OidcProviderCollection : ICollectionFixture<OidcProviderFixture>
{
    public const string Name = "oidc provider";
}

/// <summary>
/// Single sign-on end to end against a real OpenID Connect provider (OpenIddict's server on Kestrel):
/// a browser with a cookie jar follows every redirect by hand, from the server's login start through
/// the provider's login form and the code callback to a session of ours.
/// </summary>
[Collection(OidcProviderCollection.Name)]
public sealed class OidcLoginTests(OidcProviderFixture fixture)
{
    const string DbTeam = "operator@label:team=db";
    const string Ops = "viewer@*";
    const string FleetAdmin = "admin@*";

    static readonly OidcTestUser Alice = new("alice", "alice-pw", "Alice Liddell", ["db-team"]);
    static readonly OidcTestUser Dave = new("dave", "dave-pw", "Dave Ops", ["db-team", "ops", "unmapped"]);
    static readonly OidcTestUser Bob = new("bob", "bob-pw", "Bob Marketing", ["marketing"]);
    static readonly OidcTestUser Carol = new("carol", "carol-pw", "Carol", ["db-team"]);

    OidcTestProvider Provider => fixture.Provider;

    [Fact]
    public async Task A_login_through_the_provider_gives_the_user_exactly_the_grants_of_its_groups()
    {
        await using var server = await StartServerAsync();
        using var browser = new OidcBrowser();

        var authorize = await browser.StartAsync(server.Url, "/hosts?view=all");
        Assert.StartsWith(Provider.Issuer.AbsoluteUri, authorize.AbsoluteUri, StringComparison.Ordinal);
        var query = System.Web.HttpUtility.ParseQueryString(authorize.Query);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal(new Uri(server.Url, "/signin-oidc").AbsoluteUri, query["redirect_uri"]);

        var callback = await browser.LogInAtProviderAsync(authorize, Alice.Username, Alice.Password);
        Assert.Equal("/signin-oidc", callback.AbsolutePath);
        using var landed = await browser.GetAsync(callback);
        Assert.Equal(new Uri(server.Url, "/hosts?view=all"), OidcBrowser.RedirectTarget(landed, HttpStatusCode.Found, "the callback"));
        Assert.NotNull(SessionCookie(browser, server));

        var me = await MeAsync(browser, server);
        Assert.Equal("alice", me.GetProperty("name").GetString());
        Assert.Equal([DbTeam], Grants(me));

        // The same answer again (a replayed callback URL) is refused: its correlation cookie and its code are spent.
        using var replayed = await browser.GetAsync(callback);
        Assert.Equal(HttpStatusCode.BadRequest, replayed.StatusCode);

        // Several groups: the union of their grants; a group not in the map adds nothing.
        using var other = new OidcBrowser();
        using var daveLanded = await other.LogInAsync(server.Url, Dave.Username, Dave.Password);
        Assert.Equal(HttpStatusCode.Found, daveLanded.StatusCode);
        Assert.Equal([DbTeam, Ops], Grants(await MeAsync(other, server)).Order(StringComparer.Ordinal));

        // No endpoint answers the callback (the handler does), yet the login is in the audit log as its user.
        await SingleSignOnAuditedAsync(server, "alice", "single sign-on");
    }

    /// <summary>Polls the audit log (as the bootstrap admin) for a callback entry of this actor with this detail.</summary>
    static async Task SingleSignOnAuditedAsync(SsoServer server, string actorName, string detailStart) =>
        await Eventually.HoldsAsync(async () =>
        {
            using var doc = JsonDocument.Parse(await server.Api.GetStringAsync("/api/audit?action=GET%20/signin-oidc&limit=100"));
            return doc.RootElement.GetProperty("items").EnumerateArray().Any(e =>
                e.GetProperty("actorName").GetString() == actorName
                && e.GetProperty("detail").GetString()?.StartsWith(detailStart, StringComparison.Ordinal) == true);
        }, TimeSpan.FromSeconds(15), $"the audit log lists the single sign-on of {actorName}");

    [Fact]
    public async Task A_second_login_reuses_the_same_user_with_its_groups_current_grants_and_a_foreign_return_url_lands_on_the_root()
    {
        await using var server = await StartServerAsync();
        using var first = new OidcBrowser();
        using var firstLanded = await first.LogInAsync(server.Url, Alice.Username, Alice.Password);
        var firstId = (await MeAsync(first, server)).GetProperty("id").GetString();

        using var second = new OidcBrowser();
        using var secondLanded = await second.LogInAsync(server.Url, Alice.Username, Alice.Password, returnUrl: "//evil.example/steal");
        Assert.Equal(new Uri(server.Url, "/"), OidcBrowser.RedirectTarget(secondLanded, HttpStatusCode.Found, "the callback"));
        Assert.Equal(firstId, (await MeAsync(second, server)).GetProperty("id").GetString());

        // One user, known by the provider's issuer (and subject), with no local password.
        var alice = Assert.Single(await UsersAsync(server), u => u.GetProperty("username").GetString() == "alice");
        Assert.Equal(Provider.Issuer.AbsoluteUri, alice.GetProperty("externalIssuer").GetString());
        Assert.False(alice.GetProperty("hasPassword").GetBoolean());
        Assert.Equal("Alice Liddell", alice.GetProperty("displayName").GetString());

        // The provider's groups are the truth: moved to another group there, the same user holds its grants instead.
        Provider.AddUser(new OidcTestUser("erin", "erin-pw", "Erin", ["db-team"]));
        using var before = new OidcBrowser();
        using var beforeLanded = await before.LogInAsync(server.Url, "erin", "erin-pw");
        var erin = await MeAsync(before, server);
        Assert.Equal([DbTeam], Grants(erin));
        Provider.AddUser(new OidcTestUser("erin", "erin-pw", "Erin", ["ops"]));
        using var after = new OidcBrowser();
        using var afterLanded = await after.LogInAsync(server.Url, "erin", "erin-pw");
        var moved = await MeAsync(after, server);
        Assert.Equal(erin.GetProperty("id").GetString(), moved.GetProperty("id").GetString());
        Assert.Equal([Ops], Grants(moved));
    }

    [Fact]
    public async Task A_tampered_state_a_missing_nonce_or_an_error_from_the_provider_is_refused_without_a_session_or_a_user()
    {
        await using var server = await StartServerAsync();

        // One character of the protected state changed: it no longer decrypts.
        await AssertRefusedAsync((callback, query) =>
        {
            var state = query["state"]!;
            var tampered = state[..^2] + (state[^2] == 'A' ? 'B' : 'A') + state[^1];
            return new Uri(server.Url, $"/signin-oidc?code={Uri.EscapeDataString(query["code"]!)}&state={Uri.EscapeDataString(tampered)}");
        });

        // The provider's own error, with the genuine state.
        await AssertRefusedAsync((callback, query) => new Uri(server.Url, $"/signin-oidc?error=access_denied&state={Uri.EscapeDataString(query["state"]!)}"));

        // The genuine callback, but the browser lost the nonce cookie that binds the ID token to this login.
        await AssertRefusedAsync((callback, query) => callback, dropNonce: true);

        Assert.DoesNotContain(await UsersAsync(server), u => u.GetProperty("username").GetString() == "alice");

        async Task AssertRefusedAsync(Func<Uri, System.Collections.Specialized.NameValueCollection, Uri> tamper, bool dropNonce = false)
        {
            using var browser = new OidcBrowser();
            var callback = await browser.LogInAtProviderAsync(await browser.StartAsync(server.Url, "/"), Alice.Username, Alice.Password);
            var nonces = browser.Cookies.GetCookies(callback).Where(c => c.Name.StartsWith(".AspNetCore.OpenIdConnect.Nonce.", StringComparison.Ordinal)).ToList();
            Assert.Single(nonces);
            if (dropNonce)
            {
                nonces[0].Expired = true;
                Assert.DoesNotContain(browser.Cookies.GetCookies(callback), c => c.Name == nonces[0].Name);
            }

            using var response = await browser.GetAsync(tamper(callback, System.Web.HttpUtility.ParseQueryString(callback.Query)));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Null(SessionCookie(browser, server));
        }
    }

    [Fact]
    public async Task The_provider_cannot_take_admin_from_the_last_enabled_fleet_admin_until_another_exists()
    {
        await using var server = await StartServerAsync();
        Provider.AddUser(new OidcTestUser("frank", "frank-pw", "Frank", ["admins"]));
        using var first = new OidcBrowser();
        using var firstLanded = await first.LogInAsync(server.Url, "frank", "frank-pw");
        Assert.Equal([FleetAdmin], Grants(await MeAsync(first, server)));

        // Moved out of the admins at the provider while no other user is a fleet admin: it stays one.
        Provider.AddUser(new OidcTestUser("frank", "frank-pw", "Frank", ["ops"]));
        using var kept = new OidcBrowser();
        using var keptLanded = await kept.LogInAsync(server.Url, "frank", "frank-pw");
        Assert.Equal([FleetAdmin], Grants(await MeAsync(kept, server)));

        // Once another enabled user is a fleet admin, the provider's word applies at the next login.
        using var created = await server.Api.PostAsJsonAsync("/api/users", new { username = "grace", password = "grace-long-password", grants = new[] { new { role = "admin", scope = "*" } } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var after = new OidcBrowser();
        using var afterLanded = await after.LogInAsync(server.Url, "frank", "frank-pw");
        Assert.Equal([Ops], Grants(await MeAsync(after, server)));
    }

    [Fact]
    public async Task A_code_the_provider_will_not_redeem_for_this_client_is_refused()
    {
        // The provider knows the client by another secret: the code exchange fails, so no ID token, no user.
        await using var server = await StartServerRegisteredAsync("not-the-configured-one", []);
        using var browser = new OidcBrowser();
        using var landed = await browser.LogInAsync(server.Url, Alice.Username, Alice.Password);
        Assert.Equal(HttpStatusCode.BadRequest, landed.StatusCode);
        Assert.Equal("application/problem+json", landed.Content.Headers.ContentType?.MediaType);
        Assert.Null(SessionCookie(browser, server));
        Assert.DoesNotContain(await UsersAsync(server), u => u.GetProperty("username").GetString() == "alice");
    }

    [Fact]
    public async Task A_user_whose_groups_map_to_no_grant_is_refused_and_not_created()
    {
        await using var server = await StartServerAsync();
        using var browser = new OidcBrowser();
        using var landed = await browser.LogInAsync(server.Url, Bob.Username, Bob.Password);
        Assert.Equal(new Uri(server.Url, "/login?error=access_denied"), OidcBrowser.RedirectTarget(landed, HttpStatusCode.Found, "the callback"));
        Assert.Null(SessionCookie(browser, server));
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.Http.GetAsync(new Uri(server.Url, "/api/me"))).StatusCode);
        Assert.DoesNotContain(await UsersAsync(server), u => u.GetProperty("username").GetString() == "bob");
        await SingleSignOnAuditedAsync(server, "bob", "single sign-on refused");
    }

    [Fact]
    public async Task A_disabled_user_is_refused()
    {
        await using var server = await StartServerAsync();
        using var first = new OidcBrowser();
        using var firstLanded = await first.LogInAsync(server.Url, Carol.Username, Carol.Password);
        var id = (await MeAsync(first, server)).GetProperty("id").GetString();

        using var disable = await server.Api.PutAsJsonAsync($"/api/users/{id}", new { disabled = true });
        Assert.True(disable.IsSuccessStatusCode, await disable.Content.ReadAsStringAsync());

        using var second = new OidcBrowser();
        using var landed = await second.LogInAsync(server.Url, Carol.Username, Carol.Password);
        Assert.Equal(new Uri(server.Url, "/login?error=access_denied"), OidcBrowser.RedirectTarget(landed, HttpStatusCode.Found, "the callback"));
        Assert.Null(SessionCookie(second, server));
    }

    [Fact]
    public async Task With_local_login_off_a_password_login_is_refused_while_single_sign_on_still_works()
    {
        await using var server = await StartServerAsync("--Auth:LocalLogin:Enabled", "false");
        using var passwordLogin = await server.Anonymous.PostAsJsonAsync("/api/session", new { username = "admin", password = "whatever-it-is" });
        Assert.True((int)passwordLogin.StatusCode is >= 400 and < 500, $"POST /api/session answered {(int)passwordLogin.StatusCode}");
        Assert.Equal("application/problem+json", passwordLogin.Content.Headers.ContentType?.MediaType);

        var providers = await server.Anonymous.GetFromJsonAsync<JsonElement>("/api/session/providers");
        Assert.False(providers.GetProperty("localLogin").GetBoolean());
        Assert.Equal("Company login", providers.GetProperty("oidc").GetProperty("displayName").GetString());
        Assert.Equal("/api/session/oidc", providers.GetProperty("oidc").GetProperty("loginUrl").GetString());

        using var browser = new OidcBrowser();
        using var landed = await browser.LogInAsync(server.Url, Alice.Username, Alice.Password);
        Assert.Equal([DbTeam], Grants(await MeAsync(browser, server)));
    }

    [Fact]
    public async Task A_login_started_on_one_replica_completes_on_another()
    {
        await using var first = await StartServerAsync();
        await using var replica = await StartReplicaAsync(first);
        using var browser = new OidcBrowser();

        // The provider sends the browser back to the first replica's callback; the load balancer hands it to the other.
        // (A browser sends a host's cookies to every port of it, as to the one public name of the replicas.)
        var callback = await browser.LogInAtProviderAsync(await browser.StartAsync(first.Url, "/hosts"), Alice.Username, Alice.Password);
        using var landed = await browser.GetAsync(new UriBuilder(callback) { Port = replica.Url.Port }.Uri);
        Assert.Equal(new Uri(replica.Url, "/hosts"), OidcBrowser.RedirectTarget(landed, HttpStatusCode.Found, "the callback on the other replica"));
        Assert.Equal("alice", (await MeAsync(browser, replica)).GetProperty("name").GetString());
        Assert.Equal("alice", (await MeAsync(browser, first)).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Without_single_sign_on_the_providers_say_so_and_its_start_is_not_found()
    {
        await using var server = await InProcessServer.StartAsync();
        var providers = await server.Anonymous.GetFromJsonAsync<JsonElement>("/api/session/providers");
        Assert.True(providers.GetProperty("localLogin").GetBoolean());
        Assert.False(providers.TryGetProperty("oidc", out var oidc) && oidc.ValueKind != JsonValueKind.Null);
        using var start = await server.Anonymous.GetAsync("/api/session/oidc");
        Assert.Equal(HttpStatusCode.NotFound, start.StatusCode);
        Assert.Equal("application/problem+json", start.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_configured_redirect_uri_is_the_one_sent_to_the_provider()
    {
        // Behind a TLS-terminating proxy the request says http and an inner host; the public URL is configured.
        await using var server = await StartServerAsync("--Auth:Oidc:RedirectUri", "https://backup.example.com/signin-oidc");
        using var browser = new OidcBrowser();
        var authorize = await browser.StartAsync(server.Url, "/");
        Assert.Equal("https://backup.example.com/signin-oidc", System.Web.HttpUtility.ParseQueryString(authorize.Query)["redirect_uri"]);
    }

    [Fact]
    public async Task An_unreachable_provider_answers_503_not_a_crash()
    {
        await using var server = await InProcessServer.StartAsync(null,
            "--Auth:Oidc:Authority", $"http://127.0.0.1:{FreePort.Next()}/", "--Auth:Oidc:ClientId", "rm", "--Auth:Oidc:RequireHttpsMetadata", "false");
        using var start = await server.Anonymous.GetAsync("/api/session/oidc");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, start.StatusCode);
        Assert.Equal("application/problem+json", start.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("Auth:Oidc:GroupGrants:db-team:0", "operator@label:team")]
    [InlineData("Auth:Oidc:GroupGrants:db-team:0", "root@*")]
    [InlineData("Auth:Oidc:GroupGrants:ops", "viewer@* admin")]
    [InlineData("Auth:Oidc:Authority", "not a url")]
    [InlineData("Auth:Oidc:ClientId", "")]
    [InlineData("Auth:Oidc:RequireHttpsMetadata", "true")]
    [InlineData("Auth:Oidc:RedirectUri", "https://backup.example.com/callback")]
    public async Task A_bad_setting_stops_the_server_at_start_naming_its_key(string key, string value)
    {
        var settings = new Dictionary<string, string>
        {
            ["Auth:Oidc:Authority"] = "http://idp.invalid/",
            ["Auth:Oidc:ClientId"] = "rm",
            ["Auth:Oidc:RequireHttpsMetadata"] = "false",
            [key] = value,
        };
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            InProcessServer.StartAsync(null, [.. settings.SelectMany(s => new[] { "--" + s.Key, s.Value })]));
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    /// <summary>A server whose single sign-on is this test's own client at the shared provider.</summary>
    Task<SsoServer> StartServerAsync(params string[] extra) => StartServerRegisteredAsync(null, extra);

    /// <param name="registeredSecret">The client secret the provider knows, when it is to differ from the server's.</param>
    async Task<SsoServer> StartServerRegisteredAsync(string? registeredSecret, string[] extra)
    {
        foreach (var user in new[] { Alice, Dave, Bob, Carol })
        {
            Provider.AddUser(user);
        }

        var clientId = "rm-" + Guid.NewGuid().ToString("N");
        var clientSecret = Guid.NewGuid().ToString("N");
        var server = await InProcessServer.StartAsync(null, [.. SsoSettings(clientId, clientSecret), .. extra]);
        var url = new Uri(server.App.Urls.First());
        await Provider.RegisterClientAsync(clientId, registeredSecret ?? clientSecret, new Uri(url, "/signin-oidc"));
        return new SsoServer(server, url, clientId, clientSecret);
    }

    /// <summary>A second replica of <paramref name="first"/>: the same client at the provider, the same access database.</summary>
    async Task<SsoServer> StartReplicaAsync(SsoServer first)
    {
        var server = await GatewayReplicaTests.StartReplicaAsync(first.Server, SsoSettings(first.ClientId, first.ClientSecret));
        return new SsoServer(server, new Uri(server.App.Urls.First()), first.ClientId, first.ClientSecret);
    }

    string[] SsoSettings(string clientId, string clientSecret) =>
    [
        "--Auth:Oidc:Authority", Provider.Issuer.AbsoluteUri,
        "--Auth:Oidc:ClientId", clientId,
        "--Auth:Oidc:ClientSecret", clientSecret,
        "--Auth:Oidc:Scopes", "openid profile groups",
        "--Auth:Oidc:RequireHttpsMetadata", "false",
        "--Auth:Oidc:DisplayName", "Company login",
        "--Auth:Oidc:GroupGrants:db-team:0", DbTeam,
        "--Auth:Oidc:GroupGrants:ops", Ops,
        "--Auth:Oidc:GroupGrants:admins", FleetAdmin,
    ];

    static Cookie? SessionCookie(OidcBrowser browser, SsoServer server) =>
        browser.Cookies.GetCookies(server.Url).FirstOrDefault(c => c.Name is ServiceDefaults.SessionCookie.PlainName or ServiceDefaults.SessionCookie.SecureName);

    static async Task<JsonElement> MeAsync(OidcBrowser browser, SsoServer server)
    {
        using var response = await browser.Http.GetAsync(new Uri(server.Url, "/api/me"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET /api/me answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    static List<string> Grants(JsonElement me) =>
        me.GetProperty("grants").EnumerateArray().Select(g => $"{g.GetProperty("role").GetString()}@{g.GetProperty("scope").GetString()}").ToList();

    static async Task<List<JsonElement>> UsersAsync(SsoServer server)
    {
        var page = await server.Api.GetFromJsonAsync<JsonElement>("/api/users");
        return page.GetProperty("items").EnumerateArray().ToList();
    }

    sealed class SsoServer(InProcessServer server, Uri url, string clientId, string clientSecret) : IAsyncDisposable
    {
        public InProcessServer Server => server;

        public Uri Url { get; } = url;

        public string ClientId => clientId;

        public string ClientSecret => clientSecret;

        public HttpClient Api => server.Api;

        public HttpClient Anonymous => server.Anonymous;

        public ValueTask DisposeAsync() => server.DisposeAsync();
    }
}
