using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ResticManager.Contracts;
using ResticManager.Jobs;
using ResticManager.ServiceDefaults;

namespace ResticManager.UnitTests;

/// <summary>Host labels: validated, fleet-admin only, shown, filterable, carried to every service, and the scope they give to lists and streams.</summary>
public sealed class HostLabelTests
{
    static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.Clone();
    }

    static async Task<List<string>> HostIdsAsync(HttpClient client, string query = "")
    {
        using var response = await client.GetAsync("/api/hosts" + query);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return [.. (await JsonAsync(response)).GetProperty("items").EnumerateArray().Select(h => h.GetProperty("id").GetString()!)];
    }

    [Fact]
    public async Task Bad_labels_are_refused_naming_the_entry_and_only_a_fleet_admin_may_set_them()
    {
        await using var server = await InProcessServer.StartAsync();
        var host = await ScopedFleet.EnrollAsync(server, "label-host");
        await ScopedFleet.LabelAsync(server, host, "team=db");

        async Task<(HttpStatusCode, JsonElement)> PutAsync(HttpClient client, object body)
        {
            using var response = await client.PutAsJsonAsync($"/api/hosts/{host}/labels", body);
            return (response.StatusCode, await JsonAsync(response));
        }

        var (status, problem) = await PutAsync(server.Api, new { labels = new[] { "site=paris", "Bad Key=x", "site=lyon", "team=db" } });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("labels[1]", out _), problem.ToString());
        Assert.Contains("labels[0]", errors.GetProperty("labels[2]")[0].GetString());
        Assert.False(errors.TryGetProperty("labels[0]", out _));
        Assert.False(errors.TryGetProperty("labels[3]", out _));

        (status, problem) = await PutAsync(server.Api, new { labels = Enumerable.Range(0, HostLabels.MaxPerHost + 1).Select(i => $"k{i}=v") });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(problem.GetProperty("errors").TryGetProperty("labels", out _));

        (status, problem) = await PutAsync(server.Api, new { });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(problem.GetProperty("errors").TryGetProperty("labels", out _));

        // A team's admin must not move hosts into or out of scopes: labels are the access boundary.
        using var teamAdmin = await ScopedFleet.ClientAsync(server, Roles.Admin, "label:team=db");
        (status, _) = await PutAsync(teamAdmin, new { labels = new[] { "team=web" } });
        Assert.Equal(HttpStatusCode.Forbidden, status);

        using var unknown = await server.Api.PutAsJsonAsync("/api/hosts/01nobodyenrolledthishost0/labels", new { labels = new[] { "team=db" } });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        // Nothing refused changed anything.
        using var details = await server.Api.GetAsync($"/api/hosts/{host}");
        Assert.Equal(["team=db"], (await JsonAsync(details)).GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
        Assert.All(await ScopedFleet.LabelCopiesAsync(server, host), copy => Assert.Equal(["team=db"], copy));
    }

    [Fact]
    public async Task Hosts_filter_by_every_label_asked_and_a_scoped_caller_lists_only_its_hosts()
    {
        await using var server = await InProcessServer.StartAsync();
        var db = await ScopedFleet.EnrollAsync(server, "db-host");
        var web = await ScopedFleet.EnrollAsync(server, "web-host");
        var bare = await ScopedFleet.EnrollAsync(server, "bare-host");
        await ScopedFleet.LabelAsync(server, db, "team=db", "site=paris");
        await ScopedFleet.LabelAsync(server, web, "team=web", "site=paris");

        Assert.Equal([db], await HostIdsAsync(server.Api, "?label=team=db"));
        Assert.Equal([db], await HostIdsAsync(server.Api, "?label=team=db&label=site=paris"));
        Assert.Equal(new[] { db, web }.Order(), (await HostIdsAsync(server.Api, "?label=site=paris")).Order());
        Assert.Empty(await HostIdsAsync(server.Api, "?label=team=db&label=team=web"));
        Assert.Equal(new[] { db, web, bare }.Order(), (await HostIdsAsync(server.Api)).Order());

        using var malformed = await server.Api.GetAsync("/api/hosts?label=team");
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.True((await JsonAsync(malformed)).GetProperty("errors").TryGetProperty("label", out _));

        using var list = await server.Api.GetAsync("/api/hosts?label=team=db");
        var shown = (await JsonAsync(list)).GetProperty("items")[0].GetProperty("labels").EnumerateArray().Select(l => l.GetString());
        Assert.Equal(["site=paris", "team=db"], shown);

        using var teamViewer = await ScopedFleet.ClientAsync(server, Roles.Viewer, "label:team=db");
        Assert.Equal([db], await HostIdsAsync(teamViewer));
        Assert.Empty(await HostIdsAsync(teamViewer, "?label=team=web"));

        var dbJob = await ScopedFleet.QueueJobAsync(server, db);
        var webJob = await ScopedFleet.QueueJobAsync(server, web);
        using var jobs = await teamViewer.GetAsync("/api/jobs");
        var jobIds = (await JsonAsync(jobs)).GetProperty("items").EnumerateArray().Select(j => j.GetProperty("id").GetString()).ToList();
        Assert.Contains(dbJob, jobIds);
        Assert.DoesNotContain(webJob, jobIds);
        using var hiddenJob = await teamViewer.GetAsync($"/api/jobs/{webJob}");
        Assert.Equal(HttpStatusCode.NotFound, hiddenJob.StatusCode);
        Assert.Equal($"No job '{webJob}'.", (await JsonAsync(hiddenJob)).GetProperty("detail").GetString());

        // Moving the host out of the team's label takes it out of the team's lists.
        await ScopedFleet.LabelAsync(server, db, "team=web");
        Assert.Empty(await HostIdsAsync(teamViewer));
    }

    [Fact]
    public async Task A_label_copy_applies_the_newest_version_once_and_ignores_older_or_repeated_changes()
    {
        await using var server = await InProcessServer.StartAsync();
        var host = await ScopedFleet.EnrollAsync(server, "versioned-host");
        await ScopedFleet.LabelAsync(server, host, "team=db");

        using var scope = server.App.Services.CreateScope();
        var jobsDb = scope.ServiceProvider.GetRequiredService<JobsDbContext>();
        var stored = jobsDb.Set<HostLabelSet>().Single(s => s.HostId == host).Version;
        var now = DateTimeOffset.UtcNow;

        Assert.False(await jobsDb.ApplyAsync(new HostLabelsChanged(host, ["team=old"], stored - 1, now), CancellationToken.None));
        Assert.False(await jobsDb.ApplyAsync(new HostLabelsChanged(host, ["team=same"], stored, now), CancellationToken.None));
        Assert.Equal(["team=db"], await jobsDb.LabelsOfAsync(host, CancellationToken.None));

        Assert.True(await jobsDb.ApplyAsync(new HostLabelsChanged(host, ["team=new", "site=x"], stored + 1, now), CancellationToken.None));
        Assert.Equal(["site=x", "team=new"], await jobsDb.LabelsOfAsync(host, CancellationToken.None));
        Assert.False(await jobsDb.ApplyAsync(new HostLabelsChanged(host, ["team=new", "site=x"], stored + 1, now), CancellationToken.None));

        // Emptied labels are a change too: the host then falls to '*' grants only.
        Assert.True(await jobsDb.ApplyAsync(new HostLabelsChanged(host, [], stored + 2, now), CancellationToken.None));
        Assert.Empty(await jobsDb.LabelsOfAsync(host, CancellationToken.None));
    }

    [Fact]
    public async Task The_fleet_event_stream_shows_a_scoped_caller_only_the_jobs_of_its_hosts()
    {
        await using var server = await InProcessServer.StartAsync();
        var db = await ScopedFleet.EnrollAsync(server, "db-host");
        var web = await ScopedFleet.EnrollAsync(server, "web-host");
        await ScopedFleet.LabelAsync(server, db, "team=db");
        await ScopedFleet.LabelAsync(server, web, "team=web");
        using var teamViewer = await ScopedFleet.ClientAsync(server, Roles.Viewer, "label:team=db");
        using var everyone = await ScopedFleet.ClientAsync(server, Roles.Viewer, Grant.AllHosts);

        using var scopedStream = await OpenStreamAsync(teamViewer);
        using var fullStream = await OpenStreamAsync(everyone);

        // The other team's job first: were it shown, it would come before ours.
        var webJob = await ScopedFleet.QueueJobAsync(server, web);
        var dbJob = await ScopedFleet.QueueJobAsync(server, db);

        var scopedSeen = await ReadUntilAsync(scopedStream, dbJob);
        Assert.DoesNotContain(webJob, scopedSeen);
        var fullSeen = await ReadUntilAsync(fullStream, dbJob);
        Assert.Contains(webJob, fullSeen);
    }

    static async Task<StreamReader> OpenStreamAsync(HttpClient client)
    {
        var response = await client.GetAsync("/api/jobs/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal(": connected", await reader.ReadLineAsync()); // subscribed: nothing after this is missed
        return reader;
    }

    /// <summary>The data lines read until one names <paramref name="jobId"/>.</summary>
    static async Task<string> ReadUntilAsync(StreamReader reader, string jobId)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var seen = new System.Text.StringBuilder();
        while (await reader.ReadLineAsync(deadline.Token) is { } line)
        {
            seen.AppendLine(line);
            if (line.StartsWith("data:", StringComparison.Ordinal) && line.Contains(jobId, StringComparison.Ordinal))
            {
                return seen.ToString();
            }
        }

        throw new InvalidOperationException("the stream ended before job " + jobId + ":\n" + seen);
    }
}
