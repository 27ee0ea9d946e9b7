using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ResticManager.Contracts;
using ResticManager.Protocol;
using ResticManager.Schedules;
using ResticManager.ServiceDefaults;

namespace ResticManager.UnitTests;

/// <summary>
/// What the dashboard reads: hosts searched and sorted a page at a time, and the summaries and
/// per-host activity that spare it fetching everything, each scoped to the caller's hosts.
/// </summary>
public sealed class DashboardApiTests
{
    static async Task<JsonElement> GetJsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {text}");
        using var body = JsonDocument.Parse(text);
        return body.RootElement.Clone();
    }

    static async Task AssertInvalidAsync(HttpClient client, string path, string field)
    {
        using var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(text);
        Assert.True(body.RootElement.GetProperty("errors").TryGetProperty(field, out _), text);
    }

    /// <summary>Every page of <c>/api/hosts</c> with this query, following nextCursor, as hostnames.</summary>
    static async Task<List<string>> AllHostnamesAsync(HttpClient client, string query)
    {
        var names = new List<string>();
        string? cursor = null;
        do
        {
            var page = await GetJsonAsync(client, $"/api/hosts?limit=2&{query}" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            names.AddRange(page.GetProperty("items").EnumerateArray().Select(h => h.GetProperty("hostname").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null && names.Count < 100);
        return names;
    }

    [Fact]
    public async Task Hosts_are_searched_sorted_and_paged_by_keyset_in_every_order_and_counted_in_the_callers_scope()
    {
        await using var server = await InProcessServer.StartAsync();
        var names = new[] { "db-alpha", "DB-Bravo", "web-charlie", "zeta", "db-echo" };
        var ids = new Dictionary<string, string>();
        foreach (var name in names)
        {
            ids[name] = await server.EnrollHostAsync(name);
        }

        await ScopedFleet.LabelAsync(server, ids["zeta"], "team=db", "site=oslo");
        await ScopedFleet.LabelAsync(server, ids["db-alpha"], "team=db");
        using (var revoked = await server.Api.DeleteAsync($"/api/hosts/{ids["db-echo"]}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        }

        // Every order pages through all hosts exactly once, in that order (hostname ties fall back to the id).
        var byName = names.Order(StringComparer.OrdinalIgnoreCase).ToList();
        Assert.Equal(byName, (await AllHostnamesAsync(server.Api, "sort=hostname")).Order(StringComparer.OrdinalIgnoreCase).ToList());
        var ascending = await AllHostnamesAsync(server.Api, "");
        Assert.Equal(names.Length, ascending.Count);
        Assert.Equal(ascending, await AllHostnamesAsync(server.Api, "sort=hostname"));
        var descending = await AllHostnamesAsync(server.Api, "sort=-hostname");
        Assert.Equal(ascending.AsEnumerable().Reverse(), descending);
        var byStatus = await AllHostnamesAsync(server.Api, "sort=status");
        Assert.Equal(names.Length, byStatus.Distinct().Count());
        Assert.Equal("db-echo", byStatus[^1]); // revoked sorts after every live host
        var bySeen = await AllHostnamesAsync(server.Api, "sort=lastSeenAt");
        Assert.Equal(names.Order().ToList(), bySeen.Order().ToList());
        var bySeenDescending = await AllHostnamesAsync(server.Api, "sort=-lastSeenAt");
        Assert.Equal(names.Order().ToList(), bySeenDescending.Order().ToList());

        // Search: part of the hostname whatever its case, or part of a label.
        Assert.Equal(["db-alpha", "DB-Bravo", "db-echo"], (await AllHostnamesAsync(server.Api, "search=dB-")).Order(StringComparer.OrdinalIgnoreCase));
        Assert.Equal(["zeta"], await AllHostnamesAsync(server.Api, "search=OSLO"));
        Assert.Equal(["db-alpha", "zeta"], await AllHostnamesAsync(server.Api, "search=team%3Ddb&sort=hostname"));
        Assert.Empty(await AllHostnamesAsync(server.Api, "search=_"));
        Assert.Equal(["DB-Bravo"], await AllHostnamesAsync(server.Api, "search=bravo&status=pending"));

        await AssertInvalidAsync(server.Api, "/api/hosts?sort=name", "sort");
        await AssertInvalidAsync(server.Api, "/api/hosts?search=" + new string('a', 254), "search");
        await AssertInvalidAsync(server.Api, "/api/hosts?sort=status&cursor=high~x", "cursor");
        await AssertInvalidAsync(server.Api, "/api/hosts?sort=lastSeenAt&cursor=nocursor", "cursor");

        // "summary" is the literal route, never a host id; revoked hosts are not counted.
        var all = await GetJsonAsync(server.Api, "/api/hosts/summary");
        Assert.Equal(4, all.GetProperty("total").GetInt32());
        Assert.Equal(4, all.GetProperty("pending").GetInt32());
        Assert.Equal(0, all.GetProperty("online").GetInt32());
        Assert.Equal(0, all.GetProperty("offline").GetInt32());
        Assert.Equal(0, all.GetProperty("stale").GetInt32());

        using var teamDb = await ScopedFleet.ClientAsync(server, Roles.Viewer, "label:team=db");
        Assert.Equal(2, (await GetJsonAsync(teamDb, "/api/hosts/summary")).GetProperty("total").GetInt32());
        Assert.Equal(["db-alpha", "zeta"], await AllHostnamesAsync(teamDb, "sort=hostname"));
        Assert.Equal(["zeta", "db-alpha"], await AllHostnamesAsync(teamDb, "sort=-hostname"));
        Assert.Equal(["db-alpha"], await AllHostnamesAsync(teamDb, "search=db-"));
    }

    [Fact]
    public async Task Job_summary_and_activity_count_real_job_reports_within_the_callers_scope()
    {
        // A running job whose host goes offline is lost after a second (the sweeper looks every second).
        await using var server = await InProcessServer.StartAsync(null, "--Jobs:LostAfter", "00:00:01", "--Jobs:SweepInterval", "00:00:01");
        var dbHost = await ScopedFleet.EnrollAsync(server, "db-host");
        var webHost = await ScopedFleet.EnrollAsync(server, "web-host");
        await ScopedFleet.LabelAsync(server, dbHost, "team=db");
        await ScopedFleet.LabelAsync(server, webHost, "team=web");

        var now = DateTimeOffset.UtcNow;
        var twoDaysAgo = now.AddDays(-2);
        var bus = server.App.Services.GetRequiredService<IBus>();
        var seq = 0L;

        async Task<string> BackupAsync(string hostId, JobOutcome? outcome, DateTimeOffset at)
        {
            using var created = await server.Api.PostAsJsonAsync($"/api/hosts/{hostId}/jobs", new { kind = "backup", paths = new[] { "/srv" } });
            Assert.True(created.StatusCode == HttpStatusCode.Accepted, await created.Content.ReadAsStringAsync());
            var jobId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            await bus.Publish(new AgentJobStarted(hostId, new JobStarted(Guid.NewGuid().ToString("N"), jobId, ++seq, JobKind.Backup, at.AddMinutes(-1))));
            var expected = "running";
            if (outcome is { } o)
            {
                await bus.Publish(new AgentJobFinished(hostId, new JobFinished(Guid.NewGuid().ToString("N"), jobId, ++seq, o, o == JobOutcome.Succeeded ? 0 : 1, null, null, 0, at)));
                expected = o.ToString().ToLowerInvariant();
            }

            await Eventually.HoldsAsync(async () => (await GetJsonAsync(server.Api, $"/api/jobs/{jobId}")).GetProperty("status").GetString() == expected,
                TimeSpan.FromSeconds(20), $"job {jobId} is {expected}");
            return jobId;
        }

        await BackupAsync(dbHost, JobOutcome.Succeeded, twoDaysAgo);
        await BackupAsync(dbHost, JobOutcome.Failed, twoDaysAgo.AddMinutes(1));
        var lastDb = await BackupAsync(dbHost, JobOutcome.Warning, now);
        var runningDb = await BackupAsync(dbHost, null, now);
        await BackupAsync(webHost, JobOutcome.Failed, now);
        var lostWeb = await BackupAsync(webHost, null, now);
        await bus.Publish(new AgentPresenceChanged(webHost, false, 1, DateTimeOffset.UtcNow, "test"));
        await Eventually.HoldsAsync(async () => (await GetJsonAsync(server.Api, $"/api/jobs/{lostWeb}")).GetProperty("status").GetString() == "lost",
            TimeSpan.FromSeconds(20), $"job {lostWeb} is lost");
        await ScopedFleet.QueueJobAsync(server, dbHost);
        await ScopedFleet.QueueJobAsync(server, webHost);

        var fleet = await GetJsonAsync(server.Api, "/api/jobs/summary");
        Assert.Equal(1, fleet.GetProperty("running").GetInt32());
        Assert.Equal(2, fleet.GetProperty("queued").GetInt32());
        Assert.Equal(2, fleet.GetProperty("failedLast24h").GetInt32()); // the web host's failure and its lost job
        Assert.Equal(1, fleet.GetProperty("warningLast24h").GetInt32());
        Assert.Equal(0, fleet.GetProperty("succeededLast24h").GetInt32());

        using var teamDb = await ScopedFleet.ClientAsync(server, Roles.Viewer, "label:team=db");
        var scoped = await GetJsonAsync(teamDb, "/api/jobs/summary");
        Assert.Equal(1, scoped.GetProperty("running").GetInt32());
        Assert.Equal(1, scoped.GetProperty("queued").GetInt32());
        Assert.Equal(0, scoped.GetProperty("failedLast24h").GetInt32());
        Assert.Equal(1, scoped.GetProperty("warningLast24h").GetInt32());

        // The web host is out of the caller's scope: simply absent.
        var activity = await GetJsonAsync(teamDb, $"/api/jobs/activity?hostId={dbHost}&hostId={webHost}");
        var item = Assert.Single(activity.GetProperty("items").EnumerateArray());
        Assert.Equal(dbHost, item.GetProperty("hostId").GetString());
        Assert.Equal(lastDb, item.GetProperty("lastBackup").GetProperty("jobId").GetString());
        Assert.Equal("warning", item.GetProperty("lastBackup").GetProperty("status").GetString());
        Assert.Equal(runningDb, item.GetProperty("running").GetProperty("jobId").GetString());
        Assert.Equal("backup", item.GetProperty("running").GetProperty("kind").GetString());
        Assert.Equal("running", item.GetProperty("running").GetProperty("status").GetString());
        var days = item.GetProperty("days").EnumerateArray().ToDictionary(d => d.GetProperty("date").GetString()!, d => d.GetProperty("result").GetString()!);
        Assert.Equal(30, days.Count);
        Assert.Equal(days.Keys.Order(StringComparer.Ordinal), days.Keys);
        Assert.Equal("failed", days[twoDaysAgo.UtcDateTime.ToString("yyyy-MM-dd")]); // its worst: a success and a failure that day
        Assert.Equal("warning", days[now.UtcDateTime.ToString("yyyy-MM-dd")]);
        Assert.Equal(28, days.Values.Count(v => v == "none"));

        // The lost job counts as failed on the strip too, and is the web host's last backup.
        var web = Assert.Single((await GetJsonAsync(server.Api, $"/api/jobs/activity?hostId={webHost}")).GetProperty("items").EnumerateArray());
        Assert.Equal(lostWeb, web.GetProperty("lastBackup").GetProperty("jobId").GetString());
        Assert.Equal("lost", web.GetProperty("lastBackup").GetProperty("status").GetString());
        Assert.Equal("failed", web.GetProperty("days").EnumerateArray().Last().GetProperty("result").GetString());
        Assert.False(web.TryGetProperty("running", out var none) && none.ValueKind != JsonValueKind.Null);

        Assert.Empty((await GetJsonAsync(server.Api, "/api/jobs/activity")).GetProperty("items").EnumerateArray());
        await AssertInvalidAsync(server.Api, "/api/jobs/activity?" + string.Join("&", Enumerable.Range(0, 201).Select(i => $"hostId=h{i}")), "hostId");
        await AssertInvalidAsync(server.Api, "/api/jobs/activity?hostId=Not%20An%20Id", "hostId");
    }

    [Fact]
    public async Task Overdue_and_repository_summaries_count_only_the_callers_hosts()
    {
        await using var server = await InProcessServer.StartAsync();
        var dbHost = await ScopedFleet.EnrollAsync(server, "db-host");
        var webHost = await ScopedFleet.EnrollAsync(server, "web-host");
        await ScopedFleet.LabelAsync(server, dbHost, "team=db");
        await ScopedFleet.LabelAsync(server, webHost, "team=web");

        async Task<string> GroupAsync(string hostId, string name)
        {
            using var created = await server.Api.PostAsJsonAsync($"/api/hosts/{hostId}/source-groups", new { name, includes = new[] { "/srv/" + name } });
            Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
            return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        }

        var overdueIds = new[] { await GroupAsync(dbHost, "docs"), await GroupAsync(dbHost, "mail"), await GroupAsync(webHost, "www") };
        await GroupAsync(webHost, "logs");

        // Overdue as the overdue monitor marks it (its rule and timing have tests of their own).
        using (var scope = server.App.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SchedulesDbContext>();
            var since = DateTime.UtcNow.AddHours(-3);
            await db.SourceGroups.Where(g => overdueIds.Contains(g.Id)).ExecuteUpdateAsync(s => s.SetProperty(g => g.OverdueSince, (DateTime?)since));
        }

        var fleet = await GetJsonAsync(server.Api, "/api/overdue/summary");
        Assert.Equal(3, fleet.GetProperty("groups").GetInt32());
        Assert.Equal(2, fleet.GetProperty("hosts").GetInt32());
        using var teamDb = await ScopedFleet.ClientAsync(server, Roles.Viewer, "label:team=db");
        var scoped = await GetJsonAsync(teamDb, "/api/overdue/summary");
        Assert.Equal(2, scoped.GetProperty("groups").GetInt32());
        Assert.Equal(1, scoped.GetProperty("hosts").GetInt32());

        var forWeb = await GetJsonAsync(server.Api, $"/api/overdue?hostId={webHost}");
        Assert.Equal([webHost], forWeb.GetProperty("items").EnumerateArray().Select(g => g.GetProperty("hostId").GetString()));
        Assert.Empty((await GetJsonAsync(teamDb, $"/api/overdue?hostId={webHost}")).GetProperty("items").EnumerateArray());
        Assert.Equal(2, (await GetJsonAsync(teamDb, $"/api/overdue?hostId={dbHost}&hostId={webHost}")).GetProperty("items").GetArrayLength());
        await AssertInvalidAsync(server.Api, "/api/overdue?" + string.Join("&", Enumerable.Range(0, 201).Select(i => $"hostId=h{i}")), "hostId");

        // Repository sizes as the agents report them; a host that never reported is not counted.
        var bus = server.App.Services.GetRequiredService<IBus>();
        await bus.Publish(new AgentRepositoryStatsReported(dbHost, new RepositoryStats(Guid.NewGuid().ToString("N"), null, DateTimeOffset.UtcNow, 1_000_000, 3, null, null, false)));
        await bus.Publish(new AgentRepositoryStatsReported(webHost, new RepositoryStats(Guid.NewGuid().ToString("N"), null, DateTimeOffset.UtcNow, 250_000, 1, null, null, false)));
        await Eventually.HoldsAsync(async () => (await GetJsonAsync(server.Api, "/api/repository-stats/summary")).GetProperty("hostsReporting").GetInt32() == 2,
            TimeSpan.FromSeconds(20), "both reports are applied");
        Assert.Equal(1_250_000, (await GetJsonAsync(server.Api, "/api/repository-stats/summary")).GetProperty("totalSizeBytes").GetInt64());
        var scopedBytes = await GetJsonAsync(teamDb, "/api/repository-stats/summary");
        Assert.Equal(1_000_000, scopedBytes.GetProperty("totalSizeBytes").GetInt64());
        Assert.Equal(1, scopedBytes.GetProperty("hostsReporting").GetInt32());
    }
}
