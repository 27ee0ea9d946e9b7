using System.Net;
using System.Text.Json;

namespace ResticManager.IntegrationTests;

/// <summary>Schedules fired by Quartz, run by a real agent with real restic, checked with restic itself.</summary>
[Collection(ScheduleCollection.Name)]
public sealed class ScheduleTests(ScheduleFixture fixture)
{
    ServerProcess Server => fixture.Server;

    static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_schedule_backs_up_each_group_with_its_paths_excludes_and_tag()
    {
        await using var host = await JobTestHost.StartAsync(Server, "sched-groups");
        var docs = Directory.CreateDirectory(host.Folder.Combine("docs")).FullName;
        var photos = Directory.CreateDirectory(host.Folder.Combine("photos")).FullName;
        await File.WriteAllTextAsync(Path.Combine(docs, "report.txt"), "quarterly");
        await File.WriteAllTextAsync(Path.Combine(docs, "scratch.tmp"), "not wanted");
        await File.WriteAllTextAsync(Path.Combine(photos, "cat.jpg"), "meow");
        var docsGroup = await Server.CreateGroupAsync(host.Id, new { name = "docs", includes = new[] { docs }, excludes = new[] { "*.tmp" }, tag = "docs-tag" });
        var photosGroup = await Server.CreateGroupAsync(host.Id, new { name = "photos", includes = new[] { photos } });

        var schedule = await Server.CreateScheduleAsync(host.Id, "*/3 * * * * *", docsGroup, photosGroup);
        var scheduleId = schedule.GetProperty("id").GetString()!;
        var next = schedule.GetProperty("nextFireTimes").EnumerateArray().Select(t => t.GetDateTimeOffset()).ToList();
        Assert.Equal(5, next.Count);
        Assert.All(next.Zip(next.Skip(1)), pair => Assert.Equal(TimeSpan.FromSeconds(3), pair.Second - pair.First));
        Assert.All(next, t => Assert.Equal(0, t.Second % 3));

        // One fire = one job per group; wait for the first fire's two jobs to succeed.
        List<JsonElement> jobs = [];
        await Eventually.HoldsAsync(async () =>
        {
            jobs = await Server.JobsOfScheduleAsync(scheduleId);
            return jobs.Where(j => j.Status() == "succeeded").Select(j => j.GetProperty("sourceGroupId").GetString()).Distinct().Count() == 2;
        }, JobTimeout, "a backup of each group succeeds");
        await Server.DisableScheduleAsync(host.Id, schedule);
        Assert.All(jobs, j => Assert.Equal("backup", j.GetProperty("kind").GetString()));

        var snapshots = await Restic.SnapshotsAsync(host.Repository, host.Password, host.Hostname);
        var docsSnapshot = snapshots.First(s => s.Tags.SequenceEqual(["docs-tag"]));
        Assert.Equal([docs], docsSnapshot.Paths);
        Assert.Equal([photos], snapshots.First(s => s.Tags.SequenceEqual(["photos"])).Paths);
        var (code, listing) = await Restic.RunAsync(host.Repository, host.Password, "ls", "--no-lock", docsSnapshot.Id);
        Assert.Equal(0, code);
        Assert.Contains("report.txt", listing, StringComparison.Ordinal);
        Assert.DoesNotContain("scratch.tmp", listing, StringComparison.Ordinal);

        // Every run the schedule recorded names the jobs it queued, and none is recorded twice.
        var runs = await Server.RunsAsync(host.Id, scheduleId);
        Assert.NotEmpty(runs);
        Assert.Equal(runs.Count, runs.Select(r => r.GetProperty("scheduledFor").GetDateTimeOffset()).Distinct().Count());

        // Lists are pages: the limit is honoured and the cursor continues where the page ended.
        var newest = await Server.SendAsync(HttpMethod.Get, $"/api/hosts/{host.Id}/schedules/{scheduleId}/runs?limit=1", null, HttpStatusCode.OK);
        Assert.Equal(runs[0].GetProperty("scheduledFor").GetDateTimeOffset(), Assert.Single(newest.GetProperty("items").EnumerateArray()).GetProperty("scheduledFor").GetDateTimeOffset());
        Assert.Equal(runs.Count > 1, newest.GetProperty("nextCursor").ValueKind == JsonValueKind.String);
        var firstGroup = await Server.SendAsync(HttpMethod.Get, $"/api/hosts/{host.Id}/source-groups?limit=1", null, HttpStatusCode.OK);
        Assert.Equal("docs", Assert.Single(firstGroup.GetProperty("items").EnumerateArray()).GetProperty("name").GetString());
        var secondGroup = await Server.SendAsync(HttpMethod.Get, $"/api/hosts/{host.Id}/source-groups?limit=1&cursor={firstGroup.GetProperty("nextCursor").GetString()}", null, HttpStatusCode.OK);
        Assert.Equal("photos", Assert.Single(secondGroup.GetProperty("items").EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, secondGroup.GetProperty("nextCursor").ValueKind);
        var schedules = await Server.SendAsync(HttpMethod.Get, $"/api/hosts/{host.Id}/schedules", null, HttpStatusCode.OK);
        Assert.Equal(scheduleId, Assert.Single(schedules.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task Stats_runs_on_its_maintenance_cadence_and_on_demand()
    {
        await using var host = await JobTestHost.StartAsync(Server, "sched-stats");
        var policy = await Server.SendAsync(HttpMethod.Put, $"/api/hosts/{host.Id}/maintenance", new { stats = new { cron = "*/2 * * * * *" } }, HttpStatusCode.OK);
        Assert.Equal(3, policy.GetProperty("stats").GetProperty("nextFireTimes").GetArrayLength());
        Assert.False(policy.TryGetProperty("prune", out _), "only the cadences given are set");

        await Eventually.HoldsAsync(async () =>
        {
            var jobs = await Server.AllPagesAsync($"/api/jobs?hostId={host.Id}&limit=50");
            return jobs.Any(j => j.GetProperty("kind").GetString() == "stats" && j.Status() == "succeeded");
        }, JobTimeout, "the cadence runs restic stats on the host");
        var cleared = await Server.SendAsync(HttpMethod.Put, $"/api/hosts/{host.Id}/maintenance", new { }, HttpStatusCode.OK);
        Assert.False(cleared.TryGetProperty("stats", out _), "a cadence left out is removed");

        var launched = await Server.SendAsync(HttpMethod.Post, $"/api/hosts/{host.Id}/maintenance/stats/run", null, HttpStatusCode.Accepted);
        var job = await Server.WaitForJobAsync(Assert.Single(launched.GetProperty("jobIds").EnumerateArray()).GetString()!, JobTimeout);
        Assert.Equal(("stats", "succeeded"), (job.GetProperty("kind").GetString(), job.Status()));
    }

    [Fact]
    public async Task Restarting_the_server_keeps_the_triggers_and_coalesces_the_fires_missed_while_down()
    {
        await using var host = await JobTestHost.StartAsync(Server, "sched-restart");
        var (_, schedule, scheduleId) = await ScheduleFolderEveryTwoSecondsAsync(host, stopAgentFirst: false);
        await Eventually.HoldsAsync(async () => (await Server.RunsAsync(host.Id, scheduleId)).Count >= 2, JobTimeout, "the schedule fires twice");

        await Server.KillAsync();
        var downAt = DateTimeOffset.UtcNow;
        // The downtime is the scenario: several fire times pass while nothing runs.
        await Task.Delay(TimeSpan.FromSeconds(7));
        await Server.StartAgainAsync();
        var upAt = DateTimeOffset.UtcNow;

        await Eventually.HoldsAsync(async () =>
        {
            var runs = await Server.RunsAsync(host.Id, scheduleId);
            return runs.Count(r => r.GetProperty("scheduledFor").GetDateTimeOffset() > upAt.AddSeconds(1)) >= 2;
        }, JobTimeout, "the schedule fires again after the restart");
        await Server.DisableScheduleAsync(host.Id, schedule);

        var ordered = (await Server.RunsAsync(host.Id, scheduleId)).OrderBy(r => r.GetProperty("scheduledFor").GetDateTimeOffset()).ToList();
        var times = ordered.Select(r => r.GetProperty("scheduledFor").GetDateTimeOffset()).ToList();
        var report = string.Join("\n", ordered);
        Assert.True(times.Count == times.Distinct().Count(), $"a fire time ran twice: {report}");

        // While the scheduler ran, every fire time of the cron has its run, at that time.
        var beforeKill = ordered.Where(r => r.GetProperty("firedAt").GetDateTimeOffset() < downAt).Select(r => r.GetProperty("scheduledFor").GetDateTimeOffset()).ToList();
        var afterStart = times.Where(t => t > upAt.AddSeconds(1)).ToList();
        Assert.True(beforeKill.Count >= 2, report);
        Assert.Equal(FireTimes(beforeKill[0], beforeKill[^1], 2), beforeKill);
        Assert.Equal(FireTimes(afterStart[0], afterStart[^1], 2), afterStart);

        // The fire times of the downtime were not replayed one by one: Quartz fired once for them all, plus
        // the fire it had taken when the server was killed and those that fell due while it was starting
        // (a few on a loaded machine, where starting takes long; never one per missed fire time).
        var missed = FireTimes(beforeKill[^1].AddSeconds(1), afterStart[0].AddSeconds(-1), 2);
        var atStart = ordered.Where(r => r.GetProperty("scheduledFor").GetDateTimeOffset() is var t && t > beforeKill[^1] && t < afterStart[0]).ToList();
        Assert.True(missed.Count >= 3, $"a 7 s downtime spans at least 3 fires of a 2 s schedule: {report}");
        Assert.True(atStart.Count >= 1 && atStart.Count <= Math.Max(2, missed.Count / 2), $"{missed.Count} missed fire times gave {atStart.Count} runs: {report}");
        var reported = ordered.Where(r => r.GetProperty("scheduledFor").GetDateTimeOffset() is var t && t > beforeKill[^1] && t <= afterStart[0])
            .Sum(r => r.GetProperty("missedFireTimesBefore").GetInt32());
        Assert.True(reported >= 2, $"the runs API shows the fire times that got no fire of their own: {report}");

        // No fire queued a job twice (job request ids derive from the fire time): the runs name every job of the schedule.
        await Eventually.HoldsAsync(async () =>
        {
            var jobs = await Server.JobsOfScheduleAsync(scheduleId);
            var named = (await Server.RunsAsync(host.Id, scheduleId)).SelectMany(r => r.GetProperty("jobIds").EnumerateArray().Select(j => j.GetString())).ToHashSet();
            return jobs.Count == named.Count && jobs.All(j => named.Contains(j.GetProperty("id").GetString()));
        }, TimeSpan.FromSeconds(30), "every job of the schedule belongs to exactly one recorded fire");
    }

    [Fact]
    public async Task A_stopped_agent_gets_one_run_when_it_starts_and_its_group_is_overdue_until_then()
    {
        await using var host = await JobTestHost.StartAsync(Server, "sched-offline");
        var (group, schedule, scheduleId) = await ScheduleFolderEveryTwoSecondsAsync(host, stopAgentFirst: true);

        // Judged from when the schedule was enabled: 2 s × 1.5 later with no success, the group is overdue.
        await Eventually.HoldsAsync(async () =>
        {
            var overdue = await Server.OverdueAsync();
            return overdue.Any(g => g.GetProperty("sourceGroupId").GetString() == group);
        }, TimeSpan.FromSeconds(30), "the group shows in the fleet's overdue list");
        var status = (await Server.GroupAsync(host.Id, group)).GetProperty("status");
        Assert.True(status.GetProperty("overdue").GetBoolean());
        Assert.Equal(JsonValueKind.Null, status.TryGetProperty("lastSuccessAt", out var never) ? never.ValueKind : JsonValueKind.Null);

        List<JsonElement> runs = [];
        await Eventually.HoldsAsync(async () => (runs = [.. (await Server.RunsAsync(host.Id, scheduleId)).Where(r => r.GetProperty("jobIds").GetArrayLength() > 0)]).Count >= 3,
            JobTimeout, "the schedule fires three times");
        var waiting = await Server.JobsOfScheduleAsync(scheduleId);
        var queued = Assert.Single(waiting);
        Assert.Equal("queued", queued.Status());
        Assert.All(runs, r => Assert.Equal([queued.GetProperty("id").GetString()], r.GetProperty("jobIds").EnumerateArray().Select(j => j.GetString())));

        host.Agent.Start();
        var done = await Server.WaitForJobAsync(queued.GetProperty("id").GetString()!, JobTimeout);
        Assert.Equal("succeeded", done.Status());
        await Eventually.HoldsAsync(async () => !(await Server.GroupAsync(host.Id, group)).GetProperty("status").GetProperty("overdue").GetBoolean(),
            TimeSpan.FromSeconds(30), "the group is no longer overdue after its backup succeeded");
        await Server.DisableScheduleAsync(host.Id, schedule);
        var overdueList = await Server.OverdueAsync();
        Assert.DoesNotContain(overdueList, g => g.GetProperty("sourceGroupId").GetString() == group);
        var caughtUp = (await Server.GroupAsync(host.Id, group)).GetProperty("status");
        Assert.True(caughtUp.GetProperty("lastSuccessAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
    }

    [Fact]
    public async Task A_run_that_cannot_start_within_its_window_is_recorded_as_missed()
    {
        await using var host = await JobTestHost.StartAsync(Server, "sched-missed");
        var (_, schedule, scheduleId) = await ScheduleFolderEveryTwoSecondsAsync(host, stopAgentFirst: true);

        // Jobs:ScheduledRunMaxAge is 20 s here: the queued run ends missed, and the next fire queues a fresh one.
        await Eventually.HoldsAsync(async () =>
        {
            var jobs = await Server.JobsOfScheduleAsync(scheduleId);
            return jobs.Any(j => j.Status() == "missed") && jobs.Any(j => j.Status() == "queued");
        }, TimeSpan.FromSeconds(60), "the stale run is missed and a new one waits");
        await Server.DisableScheduleAsync(host.Id, schedule);
        var missed = (await Server.JobsOfScheduleAsync(scheduleId)).First(j => j.Status() == "missed");
        Assert.Contains("not started within", missed.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forget_per_group_keeps_exactly_what_its_retention_selects_and_nothing_of_other_groups()
    {
        await using var host = await JobTestHost.StartAsync(Server, "sched-forget");
        var alpha = Directory.CreateDirectory(host.Folder.Combine("alpha")).FullName;
        var beta = Directory.CreateDirectory(host.Folder.Combine("beta")).FullName;
        var alphaGroup = await Server.CreateGroupAsync(host.Id, new { name = "alpha", includes = new[] { alpha }, retention = new { keepLast = 2 } });
        var betaGroup = await Server.CreateGroupAsync(host.Id, new { name = "beta", includes = new[] { beta }, retention = new { keepLast = 5 } });
        await Server.CreateGroupAsync(host.Id, new { name = "gamma", includes = new[] { beta } });

        async Task RunNowAsync(string groupId, string folder, int times)
        {
            for (var i = 0; i < times; i++)
            {
                await File.WriteAllTextAsync(Path.Combine(folder, $"f{i}.txt"), Guid.NewGuid().ToString());
                var job = await Server.SendAsync(HttpMethod.Post, $"/api/hosts/{host.Id}/source-groups/{groupId}/run", null, HttpStatusCode.Accepted);
                Assert.Equal("succeeded", (await Server.WaitForJobAsync(job.GetProperty("id").GetString()!, JobTimeout)).Status());
            }
        }

        await RunNowAsync(alphaGroup, alpha, 4);
        await RunNowAsync(betaGroup, beta, 3);
        var untagged = await host.BackupAsync(alpha);
        Assert.Equal("succeeded", (await Server.WaitForJobAsync(untagged, JobTimeout)).Status());
        var before = await Restic.SnapshotsAsync(host.Repository, host.Password, host.Hostname);
        var alphaBefore = before.Where(s => s.Tags.SequenceEqual(["alpha"])).OrderBy(s => s.Time).ToList();
        Assert.Equal(4, alphaBefore.Count);

        var launched = await Server.SendAsync(HttpMethod.Post, $"/api/hosts/{host.Id}/maintenance/forget/run", null, HttpStatusCode.Accepted);
        var forgetJobs = launched.GetProperty("jobIds").EnumerateArray().Select(j => j.GetString()!).ToList();
        Assert.Equal(2, forgetJobs.Count); // gamma has no retention: never forgotten
        foreach (var id in forgetJobs)
        {
            var job = await Server.WaitForJobAsync(id, JobTimeout);
            Assert.Equal("succeeded", job.Status());
            Assert.Equal("forget", job.GetProperty("kind").GetString());
        }

        var after = await Restic.SnapshotsAsync(host.Repository, host.Password, host.Hostname);
        Assert.Equal(alphaBefore.TakeLast(2).Select(s => s.Id).Order(), after.Where(s => s.Tags.SequenceEqual(["alpha"])).Select(s => s.Id).Order());
        Assert.Equal(before.Where(s => !s.Tags.SequenceEqual(["alpha"])).Select(s => s.Id).Order(), after.Where(s => !s.Tags.SequenceEqual(["alpha"])).Select(s => s.Id).Order());
    }

    /// <summary>A group backing up one small folder of the host, on a schedule firing every 2 s.</summary>
    async Task<(string Group, JsonElement Schedule, string ScheduleId)> ScheduleFolderEveryTwoSecondsAsync(JobTestHost host, bool stopAgentFirst)
    {
        var data = Directory.CreateDirectory(host.Folder.Combine("data")).FullName;
        await File.WriteAllTextAsync(Path.Combine(data, "a.txt"), "a");
        if (stopAgentFirst)
        {
            await host.Agent.KillAsync();
            await Server.WaitForStatusAsync(host.Id, "offline", TimeSpan.FromSeconds(30));
        }

        var group = await Server.CreateGroupAsync(host.Id, new { name = "data", includes = new[] { data } });
        var schedule = await Server.CreateScheduleAsync(host.Id, "*/2 * * * * *", group);
        return (group, schedule, schedule.GetProperty("id").GetString()!);
    }

    /// <summary>The fire times of an every-n-seconds cron from <paramref name="from"/> to <paramref name="to"/>, both included.</summary>
    static List<DateTimeOffset> FireTimes(DateTimeOffset from, DateTimeOffset to, int everySeconds)
    {
        var step = everySeconds * 1000L;
        var first = (from.ToUnixTimeMilliseconds() + step - 1) / step * step;
        var result = new List<DateTimeOffset>();
        for (var t = first; t <= to.ToUnixTimeMilliseconds(); t += step)
        {
            result.Add(DateTimeOffset.FromUnixTimeMilliseconds(t));
        }

        return result;
    }
}
