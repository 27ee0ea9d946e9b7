using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static ResticManager.UnitTests.BrowserLogin;

namespace ResticManager.UnitTests;

/// <summary>Users: their administration, the last-admin rule, passwords, and changes that apply at once.</summary>
public sealed class AccountTests
{
    static async Task<(HttpStatusCode Status, JsonElement Body)> Send(HttpClient client, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    static string[] ErrorFields(JsonElement problem) =>
        problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public async Task Users_are_created_listed_read_changed_and_deleted_and_bad_input_names_its_fields()
    {
        await using var server = await InProcessServer.StartAsync();
        var api = server.Api;

        var (status, problem) = await Send(api, HttpMethod.Post, "/api/users", new
        {
            username = "has space",
            password = "short",
            displayName = new string('x', 201),
            grants = new object[] { new { role = "root", scope = "*" }, new { role = "viewer", scope = "label:bad label" } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(["displayName", "grants[0].role", "grants[1].scope", "password", "username"], ErrorFields(problem));
        (status, problem) = await Send(api, HttpMethod.Post, "/api/users", new { username = "alice", grants = Array.Empty<object>() });
        Assert.Equal(["grants"], ErrorFields(problem));

        var (created, alice) = await Send(api, HttpMethod.Post, "/api/users", new
        {
            username = "Alice", displayName = "Alice Martin", password = Password, grants = new[] { new { role = "operator", scope = "label:team=db" } },
        });
        Assert.Equal(HttpStatusCode.Created, created);
        var aliceId = alice.GetProperty("id").GetString()!;
        Assert.True(alice.GetProperty("hasPassword").GetBoolean());
        Assert.False(alice.TryGetProperty("password", out _));
        Assert.False(alice.TryGetProperty("passwordHash", out _));
        Assert.Equal(HttpStatusCode.Conflict, (await Send(api, HttpMethod.Post, "/api/users", new { username = "ALICE", grants = new[] { new { role = "viewer", scope = "*" } } })).Status);

        // A user without a password logs in only through single sign-on.
        var (_, bob) = await Send(api, HttpMethod.Post, "/api/users", new { username = "bob@example.com", grants = new[] { new { role = "viewer", scope = "*" } } });
        Assert.False(bob.GetProperty("hasPassword").GetBoolean());
        await Send(api, HttpMethod.Post, "/api/users", new { username = "carol", password = Password, grants = new[] { new { role = "viewer", scope = "*" } } });

        var (_, page) = await Send(api, HttpMethod.Get, "/api/users?limit=2");
        Assert.Equal(2, page.GetProperty("items").GetArrayLength());
        var cursor = page.GetProperty("nextCursor").GetString();
        var (_, last) = await Send(api, HttpMethod.Get, $"/api/users?limit=2&cursor={cursor}");
        Assert.Equal(JsonValueKind.Null, last.GetProperty("nextCursor").ValueKind);
        Assert.Equal(["Alice", "bob@example.com", "carol"],
            page.GetProperty("items").EnumerateArray().Concat(last.GetProperty("items").EnumerateArray()).Select(u => u.GetProperty("username").GetString()));

        (status, problem) = await Send(api, HttpMethod.Put, $"/api/users/{aliceId}", new { grants = new[] { new { role = "viewer", scope = "label:" } } });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(["grants[0].scope"], ErrorFields(problem));
        var (updated, changed) = await Send(api, HttpMethod.Put, $"/api/users/{aliceId}", new { displayName = "A. Martin", grants = new[] { new { role = "admin", scope = "*" } } });
        Assert.Equal(HttpStatusCode.OK, updated);
        Assert.Equal("A. Martin", changed.GetProperty("displayName").GetString());
        var (_, read) = await Send(api, HttpMethod.Get, $"/api/users/{aliceId}");
        Assert.Equal("admin", read.GetProperty("grants")[0].GetProperty("role").GetString());
        Assert.Equal("*", read.GetProperty("grants")[0].GetProperty("scope").GetString());

        Assert.Equal(HttpStatusCode.BadRequest, (await Send(api, HttpMethod.Post, $"/api/users/{aliceId}/password", new { password = "too short" })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(api, HttpMethod.Get, "/api/users/no-such-user")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(api, HttpMethod.Put, "/api/users/no-such-user", new { disabled = true })).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await Send(api, HttpMethod.Delete, $"/api/users/{bob.GetProperty("id").GetString()}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(api, HttpMethod.Delete, $"/api/users/{bob.GetProperty("id").GetString()}")).Status);
    }

    [Fact]
    public async Task Users_are_for_fleet_admins_only()
    {
        await using var server = await InProcessServer.StartAsync();
        await CreateUserAsync(server, "teamadmin", grants: [new { role = "admin", scope = "label:team=db" }]);
        using var client = Client(server);
        var session = await LoginAsync(client, "teamadmin");
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(client, Request(HttpMethod.Get, "/api/users", session)));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(client, Request(HttpMethod.Post, "/api/users", session, new { username = "x", grants = new[] { new { role = "admin", scope = "*" } } })));
    }

    [Fact]
    public async Task The_last_enabled_fleet_admin_cannot_be_disabled_deleted_or_downgraded()
    {
        await using var server = await InProcessServer.StartAsync();
        var alice = await CreateUserAsync(server, "alice");
        var api = server.Api;

        Assert.Equal(HttpStatusCode.Conflict, (await Send(api, HttpMethod.Put, $"/api/users/{alice}", new { disabled = true })).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await Send(api, HttpMethod.Put, $"/api/users/{alice}", new { grants = new[] { new { role = "admin", scope = "label:team=db" } } })).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await Send(api, HttpMethod.Delete, $"/api/users/{alice}")).Status);
        // A change that keeps admin@* is fine.
        Assert.Equal(HttpStatusCode.OK, (await Send(api, HttpMethod.Put, $"/api/users/{alice}", new { displayName = "Alice" })).Status);

        // A disabled admin does not count; an enabled one does.
        var bob = await CreateUserAsync(server, "bob");
        Assert.Equal(HttpStatusCode.OK, (await Send(api, HttpMethod.Put, $"/api/users/{bob}", new { disabled = true })).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await Send(api, HttpMethod.Delete, $"/api/users/{alice}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Send(api, HttpMethod.Put, $"/api/users/{bob}", new { disabled = false })).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await Send(api, HttpMethod.Delete, $"/api/users/{alice}")).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await Send(api, HttpMethod.Put, $"/api/users/{bob}", new { grants = new[] { new { role = "operator", scope = "*" } } })).Status);
    }

    [Fact]
    public async Task Changing_ones_password_ends_the_other_sessions_and_an_admin_reset_ends_them_all()
    {
        await using var server = await InProcessServer.StartAsync();
        var alice = await CreateUserAsync(server, "alice");
        using var client = Client(server);
        var here = await LoginAsync(client, "alice");
        var elsewhere = await LoginAsync(client, "alice");
        const string NewPassword = "a brand new passphrase";

        using (var wrong = await client.SendAsync(Request(HttpMethod.Put, "/api/me/password", here, new { currentPassword = "not my password", newPassword = NewPassword })))
        {
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
            Assert.Equal(["currentPassword"], ErrorFields(JsonDocument.Parse(await wrong.Content.ReadAsStringAsync()).RootElement));
        }

        using (var weak = await client.SendAsync(Request(HttpMethod.Put, "/api/me/password", here, new { currentPassword = Password, newPassword = "short" })))
        {
            Assert.Equal(["newPassword"], ErrorFields(JsonDocument.Parse(await weak.Content.ReadAsStringAsync()).RootElement));
        }

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, Request(HttpMethod.Get, "/api/me", elsewhere)));
        Assert.Equal(HttpStatusCode.NoContent, await StatusAsync(client, Request(HttpMethod.Put, "/api/me/password", here, new { currentPassword = Password, newPassword = NewPassword })));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(client, Request(HttpMethod.Get, "/api/me", elsewhere)));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, Request(HttpMethod.Get, "/api/me", here)));
        using (var old = await PostLoginAsync(client, "alice", Password))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        }

        var again = await LoginAsync(client, "alice", NewPassword);
        Assert.Equal(HttpStatusCode.NoContent, (await Send(server.Api, HttpMethod.Post, $"/api/users/{alice}/password", new { password = "set by the admin now" })).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(client, Request(HttpMethod.Get, "/api/me", here)));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(client, Request(HttpMethod.Get, "/api/me", again)));
        await LoginAsync(client, "alice", "set by the admin now");

        // An API token is no user with a password.
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(server.Api, HttpMethod.Put, "/api/me/password", new { currentPassword = Password, newPassword = NewPassword })).Status);
    }

    [Fact]
    public async Task Wrong_current_passwords_count_toward_the_lockout()
    {
        await using var server = await InProcessServer.StartAsync(null, "--Auth:Login:MaxFailures", "2");
        await CreateUserAsync(server, "alice");
        using var client = Client(server);
        var session = await LoginAsync(client, "alice");
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.BadRequest, await StatusAsync(client, Request(HttpMethod.Put, "/api/me/password", session, new { currentPassword = "guessing, guessing", newPassword = "a brand new passphrase" })));
        }

        // Locked now: the right current password is refused too, and so is a login.
        Assert.Equal(HttpStatusCode.BadRequest, await StatusAsync(client, Request(HttpMethod.Put, "/api/me/password", session, new { currentPassword = Password, newPassword = "a brand new passphrase" })));
        using var login = await PostLoginAsync(client, "alice", Password);
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
    }

    [Fact]
    public async Task Disabled_users_deleted_users_changed_grants_and_revoked_tokens_apply_at_once()
    {
        await using var server = await InProcessServer.StartAsync();
        await CreateUserAsync(server, "admin");
        var alice = await CreateUserAsync(server, "alice", grants: [new { role = "viewer", scope = "*" }]);
        var bob = await CreateUserAsync(server, "bob", grants: [new { role = "viewer", scope = "*" }]);
        using var client = Client(server);
        var aliceSession = await LoginAsync(client, "alice");
        var bobSession = await LoginAsync(client, "bob");

        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(client, Request(HttpMethod.Get, "/api/users", aliceSession)));
        await Send(server.Api, HttpMethod.Put, $"/api/users/{alice}", new { grants = new[] { new { role = "admin", scope = "*" } } });
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, Request(HttpMethod.Get, "/api/users", aliceSession)));

        Assert.Equal(HttpStatusCode.OK, (await Send(server.Api, HttpMethod.Put, $"/api/users/{alice}", new { disabled = true })).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(client, Request(HttpMethod.Get, "/api/me", aliceSession)));
        using (var login = await PostLoginAsync(client, "alice", Password))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
        }

        Assert.Equal(HttpStatusCode.NoContent, (await Send(server.Api, HttpMethod.Delete, $"/api/users/{bob}")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(client, Request(HttpMethod.Get, "/api/me", bobSession)));

        var (_, token) = await Send(server.Api, HttpMethod.Post, "/api/api-tokens", new { name = "ci", role = "viewer" });
        using var tokenClient = Client(server);
        tokenClient.DefaultRequestHeaders.Authorization = new("Bearer", token.GetProperty("token").GetString());
        Assert.Equal(HttpStatusCode.OK, (await tokenClient.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Send(server.Api, HttpMethod.Delete, $"/api/api-tokens/{token.GetProperty("id").GetString()}")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await tokenClient.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task The_first_admin_user_comes_from_the_bootstrap_settings()
    {
        await using var server = await InProcessServer.StartAsync(null, "--Bootstrap:AdminUser", "root", "--Bootstrap:AdminPassword", Password);
        using var client = Client(server);
        var session = await LoginAsync(client, "root");
        using var me = await client.SendAsync(Request(HttpMethod.Get, "/api/me", session));
        using var body = JsonDocument.Parse(await me.Content.ReadAsStringAsync());
        Assert.Equal("admin", body.RootElement.GetProperty("role").GetString());
        Assert.Equal("*", body.RootElement.GetProperty("grants")[0].GetProperty("scope").GetString());
        // The bootstrap API token is still there beside it.
        Assert.Equal(HttpStatusCode.OK, (await server.Api.GetAsync("/api/users")).StatusCode);
    }

    [Fact]
    public async Task Neither_a_password_nor_a_session_cookie_is_in_the_access_database()
    {
        await using var server = await InProcessServer.StartAsync();
        const string Secret = "a password nobody should find";
        var alice = await CreateUserAsync(server, "alice", Secret);
        using var client = Client(server);
        var session = await LoginAsync(client, "alice", Secret);
        const string Changed = "another password to hide";
        Assert.Equal(HttpStatusCode.NoContent, await StatusAsync(client, Request(HttpMethod.Put, "/api/me/password", session, new { currentPassword = Secret, newPassword = Changed })));
        var later = await LoginAsync(client, "alice", Changed);

        var dataPath = ResticManager.BuildingBlocks.DataPath.GetDataPath(server.App.Configuration);
        var files = Directory.GetFiles(dataPath, "access.db*", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        var text = string.Concat(files.Select(f =>
        {
            using var stream = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            return System.Text.Encoding.UTF8.GetString(memory.ToArray()) + System.Text.Encoding.Unicode.GetString(memory.ToArray());
        }));
        Assert.Contains(alice, text);
        foreach (var secret in new[] { Secret, Changed, session.Secret, later.Secret, session.Csrf, later.Csrf })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }

        Assert.Contains(ResticManager.BuildingBlocks.SecretTokens.Hash(later.Secret), text);
    }
}
