using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static ResticManager.UnitTests.BrowserLogin;

namespace ResticManager.UnitTests;

/// <summary>
/// Password logins give nothing away: an unknown user, a wrong password, a disabled user and a locked
/// account get the same answer after the same work; accounts lock after repeated failures and clients
/// that try too often are slowed down.
/// </summary>
public sealed class LoginProtectionTests
{
    const string Wrong = "not the password at all";

    static async Task<(HttpStatusCode Status, string ContentType, string Body)> Attempt(HttpClient client, string username, string password)
    {
        using var response = await PostLoginAsync(client, username, password);
        Assert.False(response.Headers.Contains("Set-Cookie") && response.StatusCode != HttpStatusCode.OK);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType ?? string.Empty, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_account_locks_after_N_failures_and_every_refusal_is_the_same_answer()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var server = await InProcessServer.StartAsync(clock,
            "--Auth:Login:MaxFailures", "3", "--Auth:Login:LockoutDuration", "00:15:00", "--Auth:Login:PerAddressPerMinute", "1000");
        await CreateUserAsync(server, "alice");
        var bobId = await CreateUserAsync(server, "bob", grants: [new { role = "viewer", scope = "*" }]);
        using (var disable = await server.Api.PutAsJsonAsync($"/api/users/{bobId}", new { disabled = true }))
        {
            Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        }

        await CreateUserAsync(server, "carol");
        using var client = Client(server);

        // Two failures do not lock, and a success clears them.
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await Attempt(client, "carol", Wrong)).Status);
        }

        Assert.Equal(HttpStatusCode.OK, (await Attempt(client, "carol", Password)).Status);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await Attempt(client, "carol", Wrong)).Status);
        }

        var locked = await Attempt(client, "carol", Password);
        var unknown = await Attempt(client, "nobody", Password);
        var wrongPassword = await Attempt(client, "alice", Wrong);
        var disabled = await Attempt(client, "bob", Password);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.Status);
        Assert.Equal("application/problem+json", wrongPassword.ContentType);
        Assert.Equal(wrongPassword, unknown);
        Assert.Equal(wrongPassword, disabled);
        Assert.Equal(wrongPassword, locked);

        // The lock holds for its duration, the right password included, then lifts.
        clock.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal(wrongPassword, await Attempt(client, "carol", Password));
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.OK, (await Attempt(client, "carol", Password)).Status);
    }

    [Fact]
    public async Task Unknown_users_wrong_passwords_disabled_users_and_locked_accounts_take_the_same_time()
    {
        await using var server = await InProcessServer.StartAsync(null, "--Auth:Login:MaxFailures", "2", "--Auth:Login:PerAddressPerMinute", "1000");
        await CreateUserAsync(server, "alice");
        var bobId = await CreateUserAsync(server, "bob", grants: [new { role = "viewer", scope = "*" }]);
        using (var disable = await server.Api.PutAsJsonAsync($"/api/users/{bobId}", new { disabled = true }))
        {
            Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        }

        await CreateUserAsync(server, "carol");
        using var client = Client(server);
        for (var i = 0; i < 2; i++)
        {
            await Attempt(client, "carol", Wrong);
        }

        // Warm up the paths once, then interleave the kinds so drift in machine load hits each alike.
        // Alice stays below the lockout: each of her rounds ends with a success.
        var kinds = new (string Name, Func<Task> Run)[]
        {
            ("unknown user", () => Attempt(client, "nobody-" + Guid.NewGuid().ToString("N")[..8], Password)),
            ("wrong password", async () => { await Attempt(client, "alice", Wrong); }),
            ("disabled user", () => Attempt(client, "bob", Password)),
            ("locked account", () => Attempt(client, "carol", Password)),
        };
        var times = kinds.ToDictionary(k => k.Name, _ => new List<double>());
        for (var round = -1; round < 8; round++)
        {
            foreach (var (name, run) in kinds)
            {
                var watch = Stopwatch.StartNew();
                await run();
                if (round >= 0)
                {
                    times[name].Add(watch.Elapsed.TotalMilliseconds);
                }
            }

            Assert.Equal(HttpStatusCode.OK, (await Attempt(client, "alice", Password)).Status);
        }

        var medians = times.ToDictionary(t => t.Key, t => t.Value.Order().ElementAt(t.Value.Count / 2));
        var reference = medians["wrong password"];
        foreach (var (name, median) in medians)
        {
            Assert.True(median / reference is >= 0.33 and <= 3,
                $"{name} took {median:F1} ms (median), a wrong password {reference:F1} ms: " + string.Join(", ", medians.Select(m => $"{m.Key} {m.Value:F1}")));
        }
    }

    [Fact]
    public async Task Too_many_attempts_from_one_address_answer_429_with_Retry_After()
    {
        await using var server = await InProcessServer.StartAsync(null, "--Auth:Login:PerAddressPerMinute", "3");
        await CreateUserAsync(server, "alice");
        using var client = Client(server);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await Attempt(client, "alice", Wrong)).Status);
        }

        using var limited = await PostLoginAsync(client, "alice", Password);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        var retryAfter = limited.Headers.RetryAfter?.Delta;
        Assert.True(retryAfter is { TotalSeconds: >= 1 and <= 60 }, $"Retry-After: {limited.Headers.RetryAfter}");
        Assert.False(limited.Headers.Contains("Set-Cookie"));

        // Only the login is limited: the API goes on answering.
        using var me = await server.Api.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    [Fact]
    public void Unknown_usernames_lock_like_accounts_and_their_map_stays_bounded()
    {
        var failures = new ResticManager.Access.UnknownUserFailures();
        var now = DateTime.UtcNow;
        for (var i = 0; i < 3; i++)
        {
            Assert.False(failures.IsLocked("GHOST", now));
            failures.RecordFailure("GHOST", now, maxFailures: 3, lockout: TimeSpan.FromMinutes(15));
        }

        Assert.True(failures.IsLocked("GHOST", now));
        Assert.False(failures.IsLocked("GHOST", now.AddMinutes(15)));

        for (var i = 0; i < ResticManager.Access.UnknownUserFailures.Capacity * 2; i++)
        {
            failures.RecordFailure("NAME" + i, now, maxFailures: 3, lockout: TimeSpan.FromMinutes(15));
        }

        Assert.True(failures.Count <= ResticManager.Access.UnknownUserFailures.Capacity);
    }
}
