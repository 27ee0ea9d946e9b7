using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ResticManager.Access;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;
using ResticManager.ServiceDefaults;

namespace ResticManager.UnitTests;

/// <summary>
/// The audit log in process: what the middleware records of each request (and what it never reads), who may
/// read which entries, its filters and paging, and that it stores each event once and forgets old ones.
/// </summary>
public sealed class AuditLogTests
{
    sealed record Caller(string Id, HttpClient Client) : IDisposable
    {
        public void Dispose() => Client.Dispose();
    }

    static async Task<Caller> CallerAsync(InProcessServer server, string name, string role)
    {
        using var response = await server.Api.PostAsJsonAsync("/api/api-tokens", new { name, role });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var client = new HttpClient { BaseAddress = server.Api.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.RootElement.GetProperty("token").GetString());
        return new Caller(body.RootElement.GetProperty("id").GetString()!, client);
    }


    static async Task<List<JsonElement>> AuditAsync(HttpClient client, string query = "")
    {
        using var response = await client.GetAsync("/api/audit" + query);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {text}");
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.GetProperty("items").EnumerateArray().Select(e => e.Clone()).ToList();
    }

    /// <summary>Polls until the log (as <paramref name="client"/> sees it) holds an entry of this action by this actor.</summary>
    static async Task<JsonElement> EntryAsync(HttpClient client, string actorId, string action, string? hostId = null)
    {
        JsonElement found = default;
        List<JsonElement> log = [];
        try
        {
            await Eventually.HoldsAsync(async () =>
            {
                log = await AuditAsync(client, "?limit=500");
                found = log.FirstOrDefault(e => e.GetProperty("actorId").GetString() == actorId
                    && e.GetProperty("action").GetString() == action && (hostId is null || e.GetProperty("hostId").GetString() == hostId));
                return found.ValueKind == JsonValueKind.Object;
            }, TimeSpan.FromSeconds(15), $"the audit log lists {action} by {actorId}");
        }
        catch (TimeoutException timeout)
        {
            throw new TimeoutException($"{timeout.Message}; it holds:\n{string.Join('\n', log)}", timeout);
        }

        return found;
    }

    [Fact]
    public async Task Each_state_change_and_each_marked_read_is_recorded_with_actor_grants_host_targets_address_and_result_and_nothing_secret()
    {
        await using var server = await InProcessServer.StartAsync();
        using var alice = await CallerAsync(server, "alice", "operator");
        using var bob = await CallerAsync(server, "bob", "admin");
        var hostId = await server.EnrollHostAsync("audited-host");
        var password = "repo-password-" + Guid.NewGuid().ToString("N");

        using (var bound = await bob.Client.PutAsJsonAsync($"/api/hosts/{hostId}/repository", new { url = "rest:https://rest.example:8000/audited", password }))
        {
            Assert.Equal(HttpStatusCode.OK, bound.StatusCode);
        }

        using (var backup = await alice.Client.PostAsJsonAsync($"/api/hosts/{hostId}/jobs", new { kind = "backup", paths = new[] { "/srv" } }))
        {
            Assert.Equal(HttpStatusCode.Accepted, backup.StatusCode);
        }

        // A read that is not marked stays out; a marked one is in, with its whitelisted query value and none other.
        (await alice.Client.GetAsync($"/api/hosts/{hostId}")).Dispose();
        (await alice.Client.GetAsync($"/api/hosts/{hostId}/files?path=/srv/a.txt&limit=5&token=not-for-the-log")).Dispose();
        // Refused attempts of a caller are kept too (a viewer-level call to an admin endpoint); an anonymous
        // write refused as such is not: anyone could send those without end.
        (await alice.Client.PostAsJsonAsync("/api/api-tokens", new { name = "sneaky", role = "admin" })).Dispose();
        (await server.Anonymous.DeleteAsync($"/api/hosts/{hostId}")).Dispose();

        var binding = await EntryAsync(server.Api, bob.Id, "PUT /api/hosts/{hostId}/repository", hostId);
        Assert.Equal(("bob", "admin@*", 200), (binding.GetProperty("actorName").GetString(), binding.GetProperty("actorGrants").GetString(), binding.GetProperty("result").GetInt32()));
        Assert.Equal("127.0.0.1", binding.GetProperty("clientAddress").GetString());

        var backupEntry = await EntryAsync(server.Api, alice.Id, "POST /api/hosts/{hostId}/jobs", hostId);
        Assert.Equal(("alice", "operator@*", 202), (backupEntry.GetProperty("actorName").GetString(), backupEntry.GetProperty("actorGrants").GetString(), backupEntry.GetProperty("result").GetInt32()));

        var search = await EntryAsync(server.Api, alice.Id, "GET /api/hosts/{hostId}/files", hostId);
        Assert.Equal(["path"], search.GetProperty("targets").EnumerateObject().Select(p => p.Name));
        Assert.Equal("/srv/a.txt", search.GetProperty("targets").GetProperty("path").GetString());

        var refused = await EntryAsync(server.Api, alice.Id, "POST /api/api-tokens");
        Assert.Equal(403, refused.GetProperty("result").GetInt32());
        var enrollment = await EntryAsync(server.Api, "anonymous", "POST /api/agents/enroll");
        Assert.Equal(200, enrollment.GetProperty("result").GetInt32());

        var all = await AuditAsync(server.Api, "?limit=500");
        Assert.DoesNotContain(all, e => e.GetProperty("action").GetString() == "GET /api/hosts/{hostId}");
        Assert.DoesNotContain(all, e => e.GetProperty("action").GetString() == "DELETE /api/hosts/{hostId}");
        Assert.DoesNotContain(all, e => e.GetProperty("action").GetString()!.StartsWith("GET /api/audit", StringComparison.Ordinal));
        var text = JsonSerializer.Serialize(all);
        Assert.DoesNotContain(password, text, StringComparison.Ordinal);
        Assert.DoesNotContain("not-for-the-log", text, StringComparison.Ordinal);
        Assert.DoesNotContain("sneaky", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fleet_admin_reads_everyones_entries_anyone_else_only_their_own_with_filters_and_cursor_paging()
    {
        await using var server = await InProcessServer.StartAsync();
        using var alice = await CallerAsync(server, "alice", "operator");
        using var bob = await CallerAsync(server, "bob", "admin");
        var first = await server.EnrollHostAsync("audit-first");
        var second = await server.EnrollHostAsync("audit-second");
        foreach (var host in new[] { first, second, first })
        {
            (await alice.Client.PostAsJsonAsync($"/api/hosts/{host}/jobs", new { kind = "backup", paths = new[] { "/srv" } })).Dispose();
        }

        (await bob.Client.PostAsJsonAsync($"/api/hosts/{second}/jobs", new { kind = "backup", paths = new[] { "/srv" } })).Dispose();
        await Eventually.HoldsAsync(async () => (await AuditAsync(server.Api, "?action=POST%20/api/hosts/{hostId}/jobs")).Count == 4, TimeSpan.FromSeconds(15), "four job requests are recorded");

        // Alice asks for Bob's entries and gets her own: the filter is hers whatever she sends.
        foreach (var query in new[] { string.Empty, $"?actor={bob.Id}", "?actor=bob" })
        {
            var own = await AuditAsync(alice.Client, query);
            Assert.Equal(3, own.Count);
            Assert.All(own, e => Assert.Equal(alice.Id, e.GetProperty("actorId").GetString()));
        }

        Assert.Single(await AuditAsync(server.Api, "?actor=bob&action=POST%20/api/hosts/{hostId}/jobs"));
        Assert.Single(await AuditAsync(server.Api, $"?actor={bob.Id}&action=POST%20/api/hosts/{{hostId}}/jobs"));
        Assert.Equal(2, (await AuditAsync(server.Api, $"?hostId={first}")).Count);
        Assert.Equal(2, (await AuditAsync(alice.Client, $"?hostId={first}")).Count);

        var all = await AuditAsync(server.Api, "?limit=500");
        var times = all.Select(e => e.GetProperty("at").GetDateTimeOffset()).ToList();
        Assert.Equal(times.OrderByDescending(t => t), times);
        var newest = times[0];
        Assert.Empty(await AuditAsync(server.Api, $"?from={Uri.EscapeDataString(newest.AddSeconds(1).ToString("O"))}"));
        Assert.Equal(all.Count, (await AuditAsync(server.Api, $"?to={Uri.EscapeDataString(newest.ToString("O"))}")).Count);

        // Page by page, newest first, the same entries as in one page.
        var paged = new List<string>();
        string? cursor = null;
        do
        {
            using var doc = JsonDocument.Parse(await server.Api.GetStringAsync("/api/audit?limit=2" + (cursor is null ? string.Empty : "&cursor=" + cursor)));
            var items = doc.RootElement.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToList();
            Assert.InRange(items.Count, 1, 2);
            paged.AddRange(items);
            cursor = doc.RootElement.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(all.Select(e => e.GetProperty("id").GetString()), paged);
    }

    [Fact]
    public async Task A_login_is_recorded_as_its_user_and_a_refused_one_as_anonymous_never_with_the_name_typed()
    {
        await using var server = await InProcessServer.StartAsync();
        var userId = await BrowserLogin.CreateUserAsync(server, "carol", grants: [new { role = "operator", scope = "*" }]);
        using var browser = BrowserLogin.Client(server);
        var session = await BrowserLogin.LoginAsync(browser, "carol");
        using (var refused = await BrowserLogin.PostLoginAsync(browser, "mallory-typed-this", "not-her-password"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        // What the session does next is hers, with her grants (refused here, as the host has no repository yet: recorded all the same).
        var hostId = await server.EnrollHostAsync("session-host");
        Assert.Equal(HttpStatusCode.Conflict, await BrowserLogin.StatusAsync(browser,
            BrowserLogin.Request(HttpMethod.Post, $"/api/hosts/{hostId}/jobs", session, new { kind = "backup", paths = new[] { "/srv" } })));

        var login = await EntryAsync(server.Api, userId, "POST /api/session");
        Assert.Equal(("carol", 200), (login.GetProperty("actorName").GetString(), login.GetProperty("result").GetInt32()));
        var failed = await EntryAsync(server.Api, AuditMiddleware.Anonymous, "POST /api/session");
        Assert.Equal((AuditMiddleware.Anonymous, 401), (failed.GetProperty("actorName").GetString(), failed.GetProperty("result").GetInt32()));
        var backup = await EntryAsync(server.Api, userId, "POST /api/hosts/{hostId}/jobs", hostId);
        Assert.Equal(("carol", "operator@*"), (backup.GetProperty("actorName").GetString(), backup.GetProperty("actorGrants").GetString()));

        var text = JsonSerializer.Serialize(await AuditAsync(server.Api, "?limit=500"));
        foreach (var secret in new[] { "mallory-typed-this", "not-her-password", BrowserLogin.Password, session.Secret, session.Csrf })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("?from=yesterday", "from")]
    [InlineData("?to=2026-13-45T00:00:00Z", "to")]
    [InlineData("?from=2026-11-29T12:00:00Z&to=2026-11-28T12:00:00Z", "from")]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=501", "limit")]
    [InlineData("?cursor=..%2Fetc", "cursor")]
    [InlineData("?cursor=ABC", "cursor")]
    public async Task A_bad_filter_is_refused_naming_the_field(string query, string field)
    {
        await using var server = await InProcessServer.StartAsync();
        using var response = await server.Api.GetAsync("/api/audit" + query);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(text);
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), text);
    }

    [Fact]
    public async Task An_event_delivered_twice_is_stored_once()
    {
        await using var server = await InProcessServer.StartAsync();
        var bus = server.App.Services.GetRequiredService<IBus>();
        var acted = new OperatorActed(Ids.New(), DateTimeOffset.UtcNow, "someone", "someone", "operator@*", "POST /api/hosts/{hostId}/jobs", "h1",
            new Dictionary<string, string>(), null, "10.0.0.1", 202);
        var marker = acted with { EventId = Ids.New(), HostId = "h2" };
        await bus.Publish(acted);
        await bus.Publish(acted);
        await bus.Publish(marker);
        await bus.Publish(acted);

        await Eventually.HoldsAsync(() => WithDb(server, db => db.AuditEntries.AnyAsync(e => e.Id == marker.EventId)), TimeSpan.FromSeconds(15), "the events are consumed");
        // Redeliveries after the marker are consumed soon after it; wait until the bus is idle, then count.
        await Eventually.HoldsAsync(() => WithDb(server, async db => await db.AuditEntries.CountAsync(e => e.ActorId == "someone") == 2), TimeSpan.FromSeconds(15), "two distinct events, two rows");
        Assert.Equal(1, await WithDb(server, db => db.AuditEntries.CountAsync(e => e.Id == acted.EventId)));
    }

    [Fact]
    public async Task Entries_older_than_the_retention_are_pruned_and_a_retention_that_is_not_positive_stops_the_start()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var server = await InProcessServer.StartAsync(clock);
        var bus = server.App.Services.GetRequiredService<IBus>();
        OperatorActed At(TimeSpan age) => new(Ids.New(), clock.GetUtcNow() - age, "pruned", "pruned", string.Empty, "DELETE /api/hosts/{hostId}", "h1",
            new Dictionary<string, string>(), null, null, 204);
        var old = At(TimeSpan.FromDays(401));
        var kept = At(TimeSpan.FromDays(399));
        await bus.Publish(old);
        await bus.Publish(kept);
        await Eventually.HoldsAsync(() => WithDb(server, async db => await db.AuditEntries.CountAsync(e => e.ActorId == "pruned") == 2), TimeSpan.FromSeconds(15), "both are stored");

        var retention = server.App.Services.GetServices<IHostedService>().OfType<AuditRetention>().Single();
        Assert.Equal(TimeSpan.FromDays(400), retention.Retention);
        Assert.Equal(1, await WithDb(server, db => retention.PruneAsync(db, CancellationToken.None)));
        Assert.Equal([kept.EventId], await WithDb(server, db => db.AuditEntries.Where(e => e.ActorId == "pruned").Select(e => e.Id).ToListAsync()));

        // Two days on, the kept one is past the retention as well.
        clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(1, await WithDb(server, db => retention.PruneAsync(db, CancellationToken.None)));

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => InProcessServer.StartAsync(null, "--Audit:Retention", "-1.00:00:00"));
        Assert.Contains("Audit:Retention", refused.Message, StringComparison.Ordinal);
    }

    static async Task<T> WithDb<T>(InProcessServer server, Func<AccessDbContext, Task<T>> read)
    {
        await using var scope = server.App.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<AccessDbContext>());
    }
}
