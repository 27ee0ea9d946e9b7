using System.Net;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using ResticManager.Contracts;
using ResticManager.Jobs;
using ResticManager.Protocol;
using ResticManager.ServiceDefaults;

namespace ResticManager.UnitTests;

/// <summary>
/// <c>GET /api/events</c>, the web UI's one live stream: <c>hello</c> first, the fleet events of the
/// caller's hosts (from the real bus consumers), log lines of watched jobs only, resuming with
/// <c>Last-Event-ID</c>, the <c>jobs</c> limit, and the count of open streams.
/// </summary>
public sealed class LiveEventStreamTests
{
    static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_stream_says_hello_then_carries_the_fleet_events_of_the_callers_hosts_and_the_log_lines_of_its_watched_jobs()
    {
        await using var server = await InProcessServer.StartAsync();
        var db = await ScopedFleet.EnrollAsync(server, "db-host");
        var web = await ScopedFleet.EnrollAsync(server, "web-host");
        await ScopedFleet.LabelAsync(server, db, "team=db");
        await ScopedFleet.LabelAsync(server, web, "team=web");
        var dbJob = await ScopedFleet.QueueJobAsync(server, db);
        var webJob = await ScopedFleet.QueueJobAsync(server, web);
        using var teamViewer = await ScopedFleet.ClientAsync(server, Roles.Viewer, "label:team=db");
        using var everyone = await ScopedFleet.ClientAsync(server, Roles.Viewer, Grant.AllHosts);

        // The team watches both jobs (the other team's is not shown), everyone watches only the web job.
        await using var scoped = await OpenAsync(teamViewer, $"/api/events?jobs={dbJob},{webJob}");
        await using var full = await OpenAsync(everyone, $"/api/events?jobs={webJob}");
        foreach (var stream in new[] { scoped, full })
        {
            var hello = stream.Events.First();
            Assert.Equal("hello", hello.Type);
            Assert.False(hello.Data.GetProperty("resumed").GetBoolean());
            Assert.False(string.IsNullOrEmpty(hello.Data.GetProperty("epoch").GetString()));
        }

        // The other team's events first, each seen by the full stream: were they shown, they would come first.
        var bus = server.App.Services.GetRequiredService<IBus>();
        var now = DateTimeOffset.UtcNow;
        await bus.Publish(new AgentPresenceChanged(web, true, 1, now, "test"));
        await bus.Publish(new AgentSnapshotsReported(web, new SnapshotsReport("web-snapshots", null, now, [Snapshot(now)])));
        await bus.Publish(new SourceGroupOverdue(web, "web-group", "web", null, TimeSpan.FromDays(1), now));
        await bus.Publish(new AgentJobProgressed(web, Progress(webJob, now)));
        await bus.Publish(new AgentJobLogged(web, new JobLog("web-log", webJob, 1, [new LogLine(1, now, LogStream.Stdout, "web line")])));
        await WaitForAsync(full, e => e.Type == "host" && Names(e, "hostId", web));
        var webSnapshots = await WaitForAsync(full, e => e.Type == "snapshots" && Names(e, "hostId", web));
        Assert.Equal(now.ToUnixTimeSeconds(), webSnapshots.Data.GetProperty("refreshedAt").GetDateTimeOffset().ToUnixTimeSeconds());
        await WaitForAsync(full, e => e.Type == "overdue" && Names(e, "sourceGroupId", "web-group") && e.Data.GetProperty("overdue").GetBoolean());
        var webProgress = await WaitForAsync(full, e => e.Type == "progress" && Names(e, "jobId", webJob));
        Assert.Equal(web, webProgress.Data.GetProperty("hostId").GetString());
        Assert.Equal(42.5, webProgress.Data.GetProperty("percentDone").GetDouble());
        Assert.Null(webProgress.Id);
        var webLine = await WaitForAsync(full, e => e.Type == "log" && Names(e, "jobId", webJob));
        Assert.Equal("web line", webLine.Data.GetProperty("text").GetString());
        Assert.Equal(1, webLine.Data.GetProperty("n").GetInt64());
        Assert.Null(webLine.Id);

        // Then the team's own: a state change, presence, snapshots, overdue, progress and a log line.
        await bus.Publish(new AgentPresenceChanged(db, true, 1, now, "test"));
        await bus.Publish(new AgentSnapshotsReported(db, new SnapshotsReport("db-snapshots", null, now, [Snapshot(now)])));
        await bus.Publish(new SourceGroupCaughtUp(db, "db-group", "db", now));
        await bus.Publish(new AgentJobProgressed(db, Progress(dbJob, now)));
        await bus.Publish(new AgentJobLogged(db, new JobLog("db-log", dbJob, 1, [new LogLine(1, now, LogStream.Stderr, "db line")])));
        var online = await WaitForAsync(scoped, e => e.Type == "host" && Names(e, "hostId", db));
        Assert.True(online.Data.GetProperty("online").GetBoolean());
        Assert.StartsWith(scoped.Events.First().Data.GetProperty("epoch").GetString() + "-", online.Id, StringComparison.Ordinal);
        await WaitForAsync(scoped, e => e.Type == "snapshots" && Names(e, "hostId", db));
        await WaitForAsync(scoped, e => e.Type == "overdue" && Names(e, "sourceGroupId", "db-group") && !e.Data.GetProperty("overdue").GetBoolean());
        await WaitForAsync(scoped, e => e.Type == "progress" && Names(e, "jobId", dbJob));
        var dbLine = await WaitForAsync(scoped, e => e.Type == "log" && Names(e, "jobId", dbJob));
        Assert.Equal("stderr", dbLine.Data.GetProperty("stream").GetString());

        // Online, the db host's first job (its repository's init) is dispatched: a state change arrives as `job`.
        await WaitForAsync(scoped, e => e.Type == "job" && Names(e, "hostId", db) && Names(e, "status", "dispatched"));

        // A last change of the team's host, after everything of the other team's was in the feed.
        var sentinel = await ScopedFleet.QueueJobAsync(server, db);
        await WaitForAsync(scoped, e => e.Type == "job" && Names(e, "id", sentinel));
        Assert.DoesNotContain(scoped.Events, e => e.Data.ToString().Contains(web, StringComparison.Ordinal) || e.Data.ToString().Contains(webJob, StringComparison.Ordinal));
        await WaitForAsync(full, e => e.Type == "job" && Names(e, "id", sentinel));
        Assert.DoesNotContain(full.Events, e => e.Type == "log" && Names(e, "jobId", dbJob));
    }

    [Fact]
    public async Task A_stream_resumed_from_a_kept_event_id_replays_what_it_missed_and_an_unknown_epoch_is_not_resumed()
    {
        await using var server = await InProcessServer.StartAsync();
        var host = await ScopedFleet.EnrollAsync(server, "resumed-host");
        await using var witness = await OpenAsync(server.Api, "/api/events");
        string lastSeen;
        await using (var first = await OpenAsync(server.Api, "/api/events"))
        {
            var seenJob = await ScopedFleet.QueueJobAsync(server, host);
            lastSeen = (await WaitForAsync(first, e => e.Type == "job" && Names(e, "id", seenJob))).Id!;
        }

        // Missed while disconnected: two state changes, and progress, which the open stream sees live.
        var missed = new[] { await ScopedFleet.QueueJobAsync(server, host), await ScopedFleet.QueueJobAsync(server, host) };
        await server.App.Services.GetRequiredService<IBus>().Publish(new AgentJobProgressed(host, Progress(missed[1], DateTimeOffset.UtcNow)));
        Assert.Null((await WaitForAsync(witness, e => e.Type == "progress" && Names(e, "jobId", missed[1]))).Id);

        await using (var resumed = await OpenAsync(server.Api, "/api/events", lastSeen))
        {
            Assert.True(resumed.Events.First().Data.GetProperty("resumed").GetBoolean());
            await WaitForAsync(resumed, e => e.Type == "job" && Names(e, "id", missed[1]));
            var replayed = resumed.Events.Where(e => e.Type == "job").Select(e => e.Data.GetProperty("id").GetString()).ToList();
            Assert.Equal(missed, replayed);
            Assert.DoesNotContain(resumed.Events, e => e.Type == "progress");
        }

        // The id of the first connection of a new leader tab comes as a query parameter.
        await using (var byQuery = await OpenAsync(server.Api, $"/api/events?lastEventId={lastSeen}"))
        {
            Assert.True(byQuery.Events.First().Data.GetProperty("resumed").GetBoolean());
            await WaitForAsync(byQuery, e => e.Type == "job" && Names(e, "id", missed[1]));
        }

        await using var otherEpoch = await OpenAsync(server.Api, "/api/events", "0123456789ab-1");
        Assert.False(otherEpoch.Events.First().Data.GetProperty("resumed").GetBoolean());
        await using var garbage = await OpenAsync(server.Api, "/api/events", "not an id");
        Assert.False(garbage.Events.First().Data.GetProperty("resumed").GetBoolean());
        var replayedNothing = await ScopedFleet.QueueJobAsync(server, host);
        await WaitForAsync(otherEpoch, e => e.Type == "job" && Names(e, "id", replayedNothing));
        Assert.Equal(["hello", "job"], otherEpoch.Events.Select(e => e.Type));
    }

    [Fact]
    public async Task Watched_jobs_are_at_most_sixteen_valid_ids_and_open_streams_are_counted()
    {
        await using var server = await InProcessServer.StartAsync();
        var ids = string.Join(',', Enumerable.Range(1, 17).Select(i => $"job-{i}"));
        using var tooMany = await server.Api.GetAsync($"/api/events?jobs={ids}");
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.True((await ErrorsAsync(tooMany)).TryGetProperty("jobs", out _));
        using var notAnId = await server.Api.GetAsync("/api/events?jobs=ok,NOT%20AN%20ID");
        Assert.Equal(HttpStatusCode.BadRequest, notAnId.StatusCode);
        Assert.True((await ErrorsAsync(notAnId)).TryGetProperty("jobs", out _));
        using var anonymous = await server.Anonymous.GetAsync("/api/events");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        var count = server.App.Services.GetRequiredService<EventStreamCount>();
        var before = count.Current;
        var sixteen = string.Join(',', Enumerable.Range(1, 16).Select(i => $"job-{i}"));
        await using (var one = await OpenAsync(server.Api, $"/api/events?jobs={sixteen}"))
        await using (var two = await OpenAsync(server.Api, "/api/events"))
        {
            Assert.Equal(before + 2, count.Current);
        }

        await Eventually.HoldsAsync(() => count.Current == before, Wait, "closed streams are no longer counted");
    }

    [Fact]
    public void The_feed_resumes_only_within_the_events_it_keeps_and_closes_the_channel_of_a_subscriber_that_falls_behind()
    {
        var feed = new JobLiveFeed();
        using var slow = feed.SubscribeFleet();
        for (var n = 1; n <= JobLiveFeed.Kept + 10; n++)
        {
            feed.PublishFleet("host", "h", new HostPresenceView("h", n % 2 == 0, DateTimeOffset.UnixEpoch));
        }

        using var tooOld = feed.SubscribeFleet($"{feed.Epoch}-9");
        Assert.False(tooOld.Resumed);
        using var oldestKept = feed.SubscribeFleet($"{feed.Epoch}-10");
        Assert.True(oldestKept.Resumed);
        Assert.Equal(JobLiveFeed.Kept, oldestKept.Missed.Count);
        Assert.Equal($"{feed.Epoch}-11", oldestKept.Missed[0].Id);
        Assert.Equal($"{feed.Epoch}-{JobLiveFeed.Kept + 10}", oldestKept.Missed[^1].Id);
        using var upToDate = feed.SubscribeFleet($"{feed.Epoch}-{JobLiveFeed.Kept + 10}");
        Assert.True(upToDate.Resumed);
        Assert.Empty(upToDate.Missed);
        using var fromTheFuture = feed.SubscribeFleet($"{feed.Epoch}-{JobLiveFeed.Kept + 11}");
        Assert.False(fromTheFuture.Resumed);

        // The subscriber that never read was closed when its channel filled: it ends and resumes instead of thinning out.
        var kept = 0;
        while (slow.Live.Reader.TryRead(out _))
        {
            kept++;
        }

        Assert.True(slow.Live.Reader.Completion.IsCompleted);
        Assert.True(kept < JobLiveFeed.Kept + 10);
        Assert.False(upToDate.Live.Reader.Completion.IsCompleted);
    }

    [Fact]
    public void Live_only_fleet_events_reach_the_open_streams_without_an_id_and_are_neither_numbered_nor_replayed()
    {
        var feed = new JobLiveFeed();
        using var open = feed.SubscribeFleet();
        var presence = new HostPresenceView("h", true, DateTimeOffset.UnixEpoch);
        feed.PublishFleet("host", "h", presence);
        for (var n = 0; n < JobLiveFeed.Kept + 10; n++)
        {
            feed.PublishFleetLiveOnly("progress", "h", "job-1", n);
        }

        feed.PublishFleet("host", "h", presence);

        var received = new List<LiveEvent>();
        while (open.Live.Reader.TryRead(out var liveEvent))
        {
            received.Add(liveEvent);
        }

        // The subscriber that did not read got the latest progress in its place, and the stream stayed open.
        Assert.Equal(3, received.Count);
        Assert.Equal($"{feed.Epoch}-1", received[0].Id);
        Assert.Equal(("progress", null, "h", (object)(JobLiveFeed.Kept + 9)), (received[1].Type, received[1].Id, received[1].HostId, received[1].Data));
        Assert.Equal($"{feed.Epoch}-2", received[2].Id);
        Assert.False(open.Live.Reader.Completion.IsCompleted);

        // However many progress reports passed, the first event is still kept and the second is the next number.
        using var resumed = feed.SubscribeFleet($"{feed.Epoch}-1");
        Assert.True(resumed.Resumed);
        var missed = Assert.Single(resumed.Missed);
        Assert.Equal(("host", $"{feed.Epoch}-2"), (missed.Type, missed.Id));
    }

    static async Task<ServerSentEvents> OpenAsync(HttpClient client, string path, string? lastEventId = null)
    {
        var stream = ServerSentEvents.Open(client, path, lastEventId);
        await Eventually.HoldsAsync(() => !stream.Events.IsEmpty, Wait, $"{path} says hello");
        Assert.Equal("hello", stream.Events.First().Type);
        return stream;
    }

    static async Task<ServerSentEvents.Event> WaitForAsync(ServerSentEvents stream, Func<ServerSentEvents.Event, bool> match)
    {
        ServerSentEvents.Event? found = null;
        await Eventually.HoldsAsync(() => (found = stream.Events.FirstOrDefault(match)) is not null, Wait,
            "the event arrives; seen: " + string.Join(" | ", stream.Events.Select(e => $"{e.Type} {e.Data}")));
        return found!;
    }

    static bool Names(ServerSentEvents.Event e, string property, string value) =>
        e.Data.ValueKind == JsonValueKind.Object && e.Data.TryGetProperty(property, out var actual) && actual.ValueKind == JsonValueKind.String && actual.GetString() == value;

    static async Task<JsonElement> ErrorsAsync(HttpResponseMessage response)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("errors").Clone();
    }

    static SnapshotInfo Snapshot(DateTimeOffset at) => new("a1b2c3d4e5f6", "a1b2c3d4", at, "host", ["/data"], null, 10, 1);

    static JobProgress Progress(string jobId, DateTimeOffset at) => new(jobId, 42.5, 1, 2, 100, 200, 3, 4, ["/data/a"], at);
}
