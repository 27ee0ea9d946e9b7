using System.Net;
using System.Text;
using System.Text.Json;

namespace ResticManager.IntegrationTests;

[Collection(ScheduleCollection.Name)]
public sealed class ScheduleInputTests(ScheduleFixture fixture)
{
    ServerProcess Server => fixture.Server;

    [Fact]
    public async Task Bad_cron_unknown_time_zone_foreign_groups_and_deleting_a_group_in_use_are_clear_4xx()
    {
        await using var mine = await AgentProcess.EnrollAsync(Server, "input-mine");
        await using var other = await AgentProcess.EnrollAsync(Server, "input-other");
        var group = await Server.CreateGroupAsync(mine.AgentId, new { name = "etc", includes = new[] { "/etc" } });
        var foreign = await Server.CreateGroupAsync(other.AgentId, new { name = "etc", includes = new[] { "/etc" } });

        async Task<string> RefusedAsync(object body, string field)
        {
            var problem = await Server.SendAsync(HttpMethod.Post, $"/api/hosts/{mine.AgentId}/schedules", body, HttpStatusCode.BadRequest);
            return string.Join(" ", problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(e => e.GetString()));
        }

        Assert.Contains("minute", await RefusedAsync(new { cron = "61 * * * *", sourceGroupIds = new[] { group } }, "cron"), StringComparison.Ordinal);
        Assert.Contains("fields", await RefusedAsync(new { cron = "* * *", sourceGroupIds = new[] { group } }, "cron"), StringComparison.Ordinal);
        Assert.Contains("never fires", await RefusedAsync(new { cron = "0 0 30 2 *", sourceGroupIds = new[] { group } }, "cron"), StringComparison.Ordinal);
        Assert.Contains("Mars/Olympus", await RefusedAsync(new { cron = "0 2 * * *", timeZone = "Mars/Olympus", sourceGroupIds = new[] { group } }, "timeZone"), StringComparison.Ordinal);
        Assert.Contains("another host", await RefusedAsync(new { cron = "0 2 * * *", sourceGroupIds = new[] { group, foreign } }, "sourceGroupIds"), StringComparison.Ordinal);
        Assert.Contains("not a source group", await RefusedAsync(new { cron = "0 2 * * *", sourceGroupIds = new[] { "nope" } }, "sourceGroupIds"), StringComparison.Ordinal);
        // An unknown host is a 404 for the host before any field is looked at, even a group of another host.
        await Server.SendAsync(HttpMethod.Post, "/api/hosts/no-such-host/schedules", new { cron = "0 2 * * *", sourceGroupIds = new[] { group } }, HttpStatusCode.NotFound);
        await Server.SendAsync(HttpMethod.Post, "/api/hosts/no-such-host/source-groups", new { name = "x", includes = new[] { "/x" } }, HttpStatusCode.NotFound);
        await Server.SendAsync(HttpMethod.Post, "/api/hosts/no-such-host/source-groups", new { name = "", includes = Array.Empty<string>() }, HttpStatusCode.NotFound);
        await Server.SendAsync(HttpMethod.Post, $"/api/hosts/{mine.AgentId}/source-groups", new { name = "", includes = Array.Empty<string>() }, HttpStatusCode.BadRequest);
        await Server.SendAsync(HttpMethod.Post, $"/api/hosts/{mine.AgentId}/source-groups", new { name = "etc", includes = new[] { "/etc" } }, HttpStatusCode.Conflict);

        // Sunday is 0 or 7, as in crontab; Berlin time is honoured.
        var sunday = await Server.SendAsync(HttpMethod.Post, $"/api/hosts/{mine.AgentId}/schedules",
            new { cron = "30 2 * * 7", timeZone = "Europe/Berlin", sourceGroupIds = new[] { group } }, HttpStatusCode.Created);
        var fires = sunday.GetProperty("nextFireTimes").EnumerateArray().Select(t => TimeZoneInfo.ConvertTime(t.GetDateTimeOffset(), TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"))).ToList();
        Assert.Equal(5, fires.Count);
        Assert.All(fires, f => Assert.Equal((DayOfWeek.Sunday, 2, 30), (f.DayOfWeek, f.Hour, f.Minute)));

        var inUse = await Server.SendAsync(HttpMethod.Delete, $"/api/hosts/{mine.AgentId}/source-groups/{group}", null, HttpStatusCode.Conflict);
        Assert.Equal(sunday.GetProperty("id").GetString(), Assert.Single(inUse.GetProperty("schedules").EnumerateArray()).GetProperty("id").GetString());
        await Server.SendAsync(HttpMethod.Delete, $"/api/hosts/{mine.AgentId}/schedules/{sunday.GetProperty("id").GetString()}", null, HttpStatusCode.NoContent);
        await Server.SendAsync(HttpMethod.Delete, $"/api/hosts/{mine.AgentId}/source-groups/{group}", null, HttpStatusCode.NoContent);

        var maintenance = await Server.SendAsync(HttpMethod.Put, $"/api/hosts/{mine.AgentId}/maintenance",
            new { check = new { cron = "0 3 * * 0", readDataSubsetPercent = 0 }, prune = new { cron = "bad" } }, HttpStatusCode.BadRequest);
        Assert.True(maintenance.GetProperty("errors").TryGetProperty("check.readDataSubsetPercent", out _));
        Assert.True(maintenance.GetProperty("errors").TryGetProperty("prune.cron", out _));
        await Server.SendAsync(HttpMethod.Post, $"/api/hosts/{mine.AgentId}/maintenance/defrag/run", null, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Admin_credentials_travel_only_inside_forget_and_prune_commands_and_are_never_stored_by_the_agent()
    {
        await using var proxy = new TcpProxy(Server.MqttPort);
        await using var host = await JobTestHost.StartAsync(Server, "admin-creds", agentSettings: ["--Agent:MqttUrl", $"mqtt://127.0.0.1:{proxy.Port}"]);
        // A backend variable is harmless to a local repository, so the jobs still succeed while carrying the marker.
        const string marker = "ADMINMARKER7f3e";
        await Server.SendAsync(HttpMethod.Put, $"/api/hosts/{host.Id}/repository/admin-credentials",
            new { env = new Dictionary<string, string> { ["AWS_SECRET_ACCESS_KEY"] = marker } }, HttpStatusCode.OK);
        var data = Directory.CreateDirectory(host.Folder.Combine("data")).FullName;
        await File.WriteAllTextAsync(Path.Combine(data, "a.txt"), "a");
        var group = await Server.CreateGroupAsync(host.Id, new { name = "data", includes = new[] { data }, retention = new { keepLast = 1 } });

        var jobs = new List<string>
        {
            (await Server.SendAsync(HttpMethod.Post, $"/api/hosts/{host.Id}/source-groups/{group}/run", null, HttpStatusCode.Accepted)).GetProperty("id").GetString()!,
        };
        foreach (var task in new[] { "forget", "prune", "check" })
        {
            var launched = await Server.SendAsync(HttpMethod.Post, $"/api/hosts/{host.Id}/maintenance/{task}/run", null, HttpStatusCode.Accepted);
            jobs.AddRange(launched.GetProperty("jobIds").EnumerateArray().Select(j => j.GetString()!));
        }

        foreach (var id in jobs)
        {
            Assert.Equal("succeeded", (await Server.WaitForJobAsync(id, TimeSpan.FromSeconds(90))).Status());
        }

        // Every occurrence of the secret in what the agent received sits in a forget or prune command.
        var received = Encoding.UTF8.GetString(proxy.ReceivedFromTarget());
        var kinds = new List<string>();
        for (var at = received.IndexOf(marker, StringComparison.Ordinal); at >= 0; at = received.IndexOf(marker, at + 1, StringComparison.Ordinal))
        {
            var kindAt = received.LastIndexOf("\"kind\":\"", at, StringComparison.Ordinal);
            kinds.Add(received[(kindAt + 8)..received.IndexOf('"', kindAt + 8)]);
        }

        Assert.Contains("forget", kinds);
        Assert.Contains("prune", kinds);
        Assert.All(kinds, k => Assert.True(k is "forget" or "prune", $"admin credentials sent with a {k} command"));
        Assert.Contains("\"kind\":\"backup\"", received, StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"check\"", received, StringComparison.Ordinal);

        // And the agent kept them nowhere.
        foreach (var file in Directory.EnumerateFiles(host.Agent.ConfigPath, "*", SearchOption.AllDirectories).Where(f => !f.Contains("/cache/", StringComparison.Ordinal)))
        {
            Assert.DoesNotContain(marker, await File.ReadAllTextAsync(file), StringComparison.Ordinal);
        }

        var view = await Server.SendAsync(HttpMethod.Get, $"/api/hosts/{host.Id}/repository/admin-credentials", null, HttpStatusCode.OK);
        Assert.DoesNotContain(marker, view.GetRawText(), StringComparison.Ordinal);
    }
}
