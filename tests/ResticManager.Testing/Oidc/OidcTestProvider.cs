using System.Collections.Concurrent;
using System.Net;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace ResticManager.Testing;

/// <summary>
/// A real OpenID Connect provider for the single sign-on tests: OpenIddict's server on Kestrel, on a free
/// loopback port over http. Discovery, JWKS, the authorization code flow with PKCE required, confidential
/// clients, and a login form for the configured <see cref="OidcTestUser"/>s at the authorization endpoint.
/// ID tokens carry <c>preferred_username</c> and <c>name</c> (scope profile) and <c>groups</c> (scope groups,
/// always a JSON array, as Keycloak and Authentik send it).
/// <para>
/// Its store is OpenIddict's Entity Framework Core one over a SQLite file, not the degraded mode: then
/// OpenIddict itself authenticates the client, checks its redirect URI and permissions, and redeems each
/// authorization code once, as a production provider does, instead of this test code re-implementing it.
/// </para>
/// </summary>
public sealed class OidcTestProvider : IAsyncDisposable
{
    public const string GroupsClaim = "groups";
    public const string GroupsScope = "groups";
    public const string AuthorizePath = "/connect/authorize";

    readonly WebApplication app;
    readonly TempDirectory data;
    readonly ConcurrentDictionary<string, OidcTestUser> users;

    OidcTestProvider(WebApplication app, TempDirectory data, Uri issuer, ConcurrentDictionary<string, OidcTestUser> users)
    {
        this.app = app;
        this.data = data;
        this.users = users;
        Issuer = issuer;
    }

    /// <summary>The issuer, ending in '/': what a relying party sets as its authority.</summary>
    public Uri Issuer { get; }

    public static async Task<OidcTestProvider> StartAsync(IEnumerable<OidcTestUser> users)
    {
        var port = FreePort.Next();
        var issuer = new Uri($"http://127.0.0.1:{port}/");
        var known = new ConcurrentDictionary<string, OidcTestUser>(users.Select(u => KeyValuePair.Create(u.Username, u)), StringComparer.Ordinal);
        var data = new TempDirectory("rm-oidc");
        WebApplication? app = null;
        try
        {
            // The content root is the empty temp folder, so no appsettings.json of the test output applies.
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = data.Path });
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Services.AddDbContext<OidcProviderDbContext>(o => o
                .UseSqlite(new SqliteConnectionStringBuilder { DataSource = data.Combine("provider.db"), Pooling = false }.ToString())
                .UseOpenIddict());
            builder.Services.AddOpenIddict()
                .AddCore(o => o.UseEntityFrameworkCore().UseDbContext<OidcProviderDbContext>())
                .AddServer(o =>
                {
                    o.SetIssuer(issuer);
                    o.SetAuthorizationEndpointUris(AuthorizePath.TrimStart('/')).SetTokenEndpointUris("connect/token");
                    o.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
                    o.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.Email, GroupsScope);
                    o.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
                    o.UseAspNetCore().EnableAuthorizationEndpointPassthrough().DisableTransportSecurityRequirement();
                });

            app = builder.Build();
            app.MapMethods(AuthorizePath, [HttpMethods.Get, HttpMethods.Post], (HttpContext http) => Authorize(http, known));
            await using (var scope = app.Services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<OidcProviderDbContext>().Database.EnsureCreatedAsync();
            }

            await app.StartAsync();
            return new OidcTestProvider(app, data, issuer, known);
        }
        catch
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }

            data.Dispose();
            throw;
        }
    }

    /// <summary>Registers a confidential client that must use PKCE and may only redirect to <paramref name="redirectUri"/>.</summary>
    public async Task RegisterClientAsync(string clientId, string clientSecret, Uri redirectUri)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        await applications.CreateAsync(new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientSecret = clientSecret,
            ClientType = ClientTypes.Confidential,
            ConsentType = ConsentTypes.Implicit,
            RedirectUris = { redirectUri },
            Permissions =
            {
                Permissions.Endpoints.Authorization,
                Permissions.Endpoints.Token,
                Permissions.GrantTypes.AuthorizationCode,
                Permissions.ResponseTypes.Code,
                Permissions.Scopes.Profile,
                Permissions.Scopes.Email,
                Permissions.Prefixes.Scope + GroupsScope,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        });
    }

    /// <summary>Adds (or replaces) a user the login form accepts from now on.</summary>
    public void AddUser(OidcTestUser user) => users[user.Username] = user;

    /// <summary>
    /// The authorization endpoint after OpenIddict validated the request (client, redirect URI, PKCE):
    /// a GET shows the login form, which posts the same parameters back with the user's name and password.
    /// </summary>
    static IResult Authorize(HttpContext http, ConcurrentDictionary<string, OidcTestUser> users)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("OpenIddict did not handle this authorization request.");
        string? error = null;
        if (HttpMethods.IsPost(http.Request.Method))
        {
            if (request.Username is { } username && users.TryGetValue(username, out var user) && user.Password == request.Password)
            {
                return Results.SignIn(Principal(user, request), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            }

            error = "Unknown user or wrong password.";
        }

        return Results.Content(OidcLoginPage.Render(AuthorizePath, request, error), "text/html; charset=utf-8");
    }

    static ClaimsPrincipal Principal(OidcTestUser user, OpenIddictRequest request)
    {
        var scopes = request.GetScopes();
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Subject);
        if (scopes.Contains(Scopes.Profile))
        {
            identity.SetClaim(Claims.PreferredUsername, user.Username).SetClaim(Claims.Name, user.DisplayName);
        }

        if (scopes.Contains(GroupsScope))
        {
            identity.SetClaims(GroupsClaim, new JsonArray([.. user.Groups.Select(g => JsonValue.Create(g))]));
        }

        identity.SetScopes(scopes);
        identity.SetDestinations(_ => [Destinations.IdentityToken, Destinations.AccessToken]);
        return new ClaimsPrincipal(identity);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        data.Dispose();
    }
}
