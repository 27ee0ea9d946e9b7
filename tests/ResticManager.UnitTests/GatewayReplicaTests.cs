using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using ResticManager.Access;
using ResticManager.ServiceDefaults;
using static ResticManager.UnitTests.BrowserLogin;

namespace ResticManager.UnitTests;

/// <summary>
/// Several gateway replicas on one access database act as one: what one protected (the single sign-on
/// state) the others read, and the last-admin rule holds across them.
/// </summary>
public sealed class GatewayReplicaTests
{
    /// <summary>The purpose the OpenID Connect handler protects its state with.</summary>
    static readonly string[] OidcStatePurpose = [typeof(OpenIdConnectHandler).FullName!, OidcLogin.Scheme, "v1"];

    /// <summary>Another server on <paramref name="first"/>'s access database (its other databases its own), as a second replica.</summary>
    public static Task<InProcessServer> StartReplicaAsync(InProcessServer first, params string[] settings) =>
        InProcessServer.StartAsync(null, ["--ConnectionStrings:access", first.App.Configuration.GetServiceConnectionString("access"), .. settings]);

    static IDataProtector OidcStateProtector(InProcessServer server) =>
        server.App.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(OidcStatePurpose[0], OidcStatePurpose[1..]);

    [Fact]
    public async Task What_one_replica_protects_another_on_the_same_access_database_unprotects_and_a_server_on_another_does_not()
    {
        await using var first = await InProcessServer.StartAsync();
        var payload = "state-" + Guid.NewGuid().ToString("N");
        var protectedByFirst = OidcStateProtector(first).Protect(payload);

        await using (var replica = await StartReplicaAsync(first))
        {
            Assert.Equal(payload, OidcStateProtector(replica).Unprotect(protectedByFirst));
            // Both ways: the replica's own payloads use the same key ring.
            Assert.Equal(payload, OidcStateProtector(first).Unprotect(OidcStateProtector(replica).Protect(payload)));
        }

        // The keys come from the database, nowhere else this process could share: a server with its own access database cannot read it.
        await using var stranger = await InProcessServer.StartAsync();
        Assert.ThrowsAny<CryptographicException>(() => OidcStateProtector(stranger).Unprotect(protectedByFirst));
    }

    [Fact]
    public async Task Two_admins_disabling_each_other_on_two_replicas_at_once_leave_one_admin()
    {
        await using var first = await InProcessServer.StartAsync();
        await using var replica = await StartReplicaAsync(first);
        // The bootstrap admin token is made once per database: the first's also serves the replica.
        using var replicaApi = new HttpClient { BaseAddress = replica.Api.BaseAddress };
        replicaApi.DefaultRequestHeaders.Authorization = first.Api.DefaultRequestHeaders.Authorization;
        var alice = await CreateUserAsync(first, "alice");
        var bob = await CreateUserAsync(first, "bob");

        for (var round = 0; round < 5; round++)
        {
            var disabled = await Task.WhenAll(
                DisableAsync(first.Api, alice),
                DisableAsync(replicaApi, bob));
            Assert.True(disabled.Count(s => s.StartsWith("200", StringComparison.Ordinal)) == 1 && disabled.Count(s => s.StartsWith("409", StringComparison.Ordinal)) == 1,
                $"round {round}: " + string.Join(" | ", disabled));

            // Enable both again for the next round.
            foreach (var id in new[] { alice, bob })
            {
                using var enable = await first.Api.PutAsJsonAsync($"/api/users/{id}", new { disabled = false });
                Assert.Equal(HttpStatusCode.OK, enable.StatusCode);
            }
        }

        static async Task<string> DisableAsync(HttpClient api, string userId)
        {
            using var response = await api.PutAsJsonAsync($"/api/users/{userId}", new { disabled = true });
            return $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
        }
    }
}
