using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ResticManager.IntegrationTests;

/// <summary>Jobs with the real agent, real restic and real local repositories.</summary>
[Collection(ServerCollection.Name)]
public sealed class JobTests(ServerFixture fixture, ITestOutputHelper output)
{
    ServerProcess Server => fixture.Server;

    [Fact]
    public async Task A_slowed_backup_streams_rising_progress_and_its_snapshot_matches_restic_and_a_late_subscriber_gets_the_final_state()
    {
        // restic counts bytes read, and reads ~50 MB ahead of a throttled upload: 100 MB makes it wait visibly.
        await using var host = await JobTestHost.StartAsync(Server, "backup-host", uploadLimitKBps: 16384);
        await output.DumpOnFailureAsync(async () =>
        {
            var source = host.Folder.Combine("src");
            Restic.WriteRandomFiles(source, 25, 4_000_000);

            var jobId = await host.BackupAsync(source);
            await using var live = ServerSentEvents.Open(Server.Api, $"/api/jobs/{jobId}/events");
            var job = await Server.WaitForJobAsync(jobId, TimeSpan.FromMinutes(2));
            Assert.Equal("succeeded", job.GetProperty("status").GetString());
            Assert.Equal(0, job.GetProperty("exitCode").GetInt32());
            var summary = job.GetProperty("summary");
            Assert.Equal(25, summary.GetProperty("filesNew").GetInt32());
            Assert.Equal(100_000_000, summary.GetProperty("totalBytesProcessed").GetInt64());

            await Eventually.HoldsAsync(() => live.Ended, TimeSpan.FromSeconds(10), "the live stream ends after the final state");
            var events = live.Events.ToList();
            Assert.Equal("state", events[0].Type);
            var bytesDone = events.Where(e => e.Type == "progress" && e.Data.TryGetProperty("bytesDone", out _))
                .Select(e => e.Data.GetProperty("bytesDone").GetInt64()).ToList();
            output.WriteLine($"progress bytesDone: {string.Join(", ", bytesDone)}");
            Assert.True(bytesDone.Distinct().Count() >= 2, $"at least two progress events with different bytes done, got {string.Join(", ", bytesDone)}");
            Assert.Equal(bytesDone.Order().ToList(), bytesDone);
            Assert.Equal("succeeded", events[^1].Data.GetProperty("status").GetString());
            Assert.Contains(events, e => e.Type == "log" && e.Id is not null);

            var snapshots = await Restic.SnapshotsAsync(host.Repository, host.Password);
            var snapshot = Assert.Single(snapshots);
            Assert.Equal("backup-host", snapshot.Hostname);
            Assert.StartsWith(summary.GetProperty("snapshotId").GetString()!, snapshot.Id);
            await Eventually.HoldsAsync(async () => (await Server.SnapshotShortIdsAsync(host.Id)).SequenceEqual([snapshot.ShortId]),
                TimeSpan.FromSeconds(20), "the API lists the snapshot with restic's short id");
            Assert.NotEqual(JsonValueKind.Null, (await Server.GetSnapshotsAsync(host.Id)).GetProperty("refreshedAt").ValueKind);

            // The repository's size follows the backup without a stats job: 100 MB of random data is stored as such.
            await Eventually.HoldsAsync(async () =>
            {
                var stats = JsonDocument.Parse(await Server.Api.GetStringAsync($"/api/hosts/{host.Id}/repository/stats")).RootElement;
                return stats.TryGetProperty("totalSizeBytes", out var size) && size.GetInt64() >= 100_000_000
                    && stats.GetProperty("snapshotCount").GetInt64() == 1;
            }, TimeSpan.FromSeconds(30), "the stats show the backup's size and snapshot");

            await using var late = ServerSentEvents.Open(Server.Api, $"/api/jobs/{jobId}/events");
            await Eventually.HoldsAsync(() => late.Ended, TimeSpan.FromSeconds(10), "a stream opened after the end closes at once");
            Assert.Equal("succeeded", late.Events.First().Data.GetProperty("status").GetString());
            Assert.Equal(job.GetProperty("logLines").GetInt64(), late.Events.Count(e => e.Type == "log"));

            // Last-Event-ID resumes after that log line.
            await using var resumed = ServerSentEvents.Open(Server.Api, $"/api/jobs/{jobId}/events", lastEventId: "1");
            await Eventually.HoldsAsync(() => resumed.Ended, TimeSpan.FromSeconds(10), "the resumed stream ends");
            Assert.Equal(
                Enumerable.Range(2, (int)job.GetProperty("logLines").GetInt64() - 1).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                resumed.Events.Where(e => e.Type == "log").Select(e => e.Id));
        }, () => Server.Process, () => host.Agent.Process);
    }

    [Fact]
    public async Task Forget_keep_last_one_after_three_backups_leaves_only_the_newest_and_check_updates_the_stats()
    {
        await using var host = await JobTestHost.StartAsync(Server, "forget-host");
        await output.DumpOnFailureAsync(async () =>
        {
            var source = host.Folder.Combine("src");
            var newestId = string.Empty;
            for (var i = 0; i < 3; i++)
            {
                Restic.WriteRandomFiles(source, 1, 1000 + i);
                var backup = await Server.WaitForJobAsync(await host.BackupAsync(source), TimeSpan.FromMinutes(1));
                Assert.Equal("succeeded", backup.GetProperty("status").GetString());
                newestId = backup.GetProperty("summary").GetProperty("snapshotId").GetString()!;
            }

            Assert.Equal(3, (await Restic.SnapshotsAsync(host.Repository, host.Password)).Count);

            var forget = await Server.WaitForJobAsync(await Server.CreateJobAsync(host.Id, new { kind = "forget", retention = new { keepLast = 1 } }), TimeSpan.FromMinutes(1));
            Assert.Equal("succeeded", forget.GetProperty("status").GetString());
            Assert.Equal(2, forget.GetProperty("summary").GetProperty("removed").GetInt32());
            var after = Assert.Single(await Restic.SnapshotsAsync(host.Repository, host.Password));
            Assert.StartsWith(newestId, after.Id);
            await Eventually.HoldsAsync(async () => (await Server.SnapshotShortIdsAsync(host.Id)).SequenceEqual([after.ShortId]),
                TimeSpan.FromSeconds(20), "the API lists only the kept snapshot");

            var check = await Server.WaitForJobAsync(await Server.CreateJobAsync(host.Id, new { kind = "check" }), TimeSpan.FromMinutes(1));
            Assert.Equal("succeeded", check.GetProperty("status").GetString());
            JsonElement stats = default;
            await Eventually.HoldsAsync(async () =>
            {
                stats = JsonDocument.Parse(await Server.Api.GetStringAsync($"/api/hosts/{host.Id}/repository/stats")).RootElement.Clone();
                return stats.TryGetProperty("lastCheckAt", out _);
            }, TimeSpan.FromSeconds(20), "the check updates the repository stats");
            Assert.True(stats.GetProperty("lastCheckSucceeded").GetBoolean());
            Assert.False(stats.GetProperty("lockPresent").GetBoolean());
            Assert.True(stats.GetProperty("totalSizeBytes").GetInt64() > 0);
            Assert.Equal(1, stats.GetProperty("snapshotCount").GetInt64());
        }, () => Server.Process, () => host.Agent.Process);
    }

    [Fact]
    public async Task An_unreadable_file_gives_warning_and_the_snapshot_is_kept()
    {
        using var unprivileged = new TempDirectory("rm-nobody");
        await using (var chown = ChildProcess.Start("chown", "chown", ["nobody", unprivileged.Path]))
        {
            await chown.WaitForExitAsync(TimeSpan.FromSeconds(10));
        }

        await using var host = await JobTestHost.StartAsync(Server, "warning-host", repository: unprivileged.Combine("repo"), runAsUser: "nobody");
        await output.DumpOnFailureAsync(async () =>
        {
            var source = unprivileged.Combine("src");
            Restic.WriteRandomFiles(source, 2, 1000);
            var secret = Path.Combine(source, "secret.txt");
            await File.WriteAllTextAsync(secret, "no one may read this");
            File.SetUnixFileMode(secret, UnixFileMode.None);

            var job = await Server.WaitForJobAsync(await host.BackupAsync(source), TimeSpan.FromMinutes(1));
            Assert.Equal("warning", job.GetProperty("status").GetString());
            Assert.Equal(3, job.GetProperty("exitCode").GetInt32());
            Assert.Single(await Restic.SnapshotsAsync(host.Repository, host.Password));
            var log = await Server.GetLogAsync(job.GetProperty("id").GetString()!);
            Assert.Contains(log, l => l.GetProperty("text").GetString()!.Contains("secret.txt", StringComparison.Ordinal));
        }, () => Server.Process, () => host.Agent.Process);
    }

    [Fact]
    public async Task A_wrong_password_fails_the_job_with_restics_message()
    {
        using var repository = new TempDirectory("rm-repo");
        var path = repository.Combine("repo");
        await Restic.InitAsync(path, "the-right-password");
        await using var host = await JobTestHost.StartAsync(Server, "wrong-password-host", repository: path, password: "a-wrong-password");
        var source = host.Folder.Combine("src");
        Restic.WriteRandomFiles(source, 1, 100);

        var job = await Server.WaitForJobAsync(await host.BackupAsync(source), TimeSpan.FromMinutes(1));
        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Contains("wrong password", job.GetProperty("error").GetString());
        var log = await Server.GetCompleteLogAsync(job);
        Assert.Contains(log, l => l.GetProperty("stream").GetString() == "stderr" && l.GetProperty("text").GetString()!.Contains("wrong password", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cancelling_a_slowed_backup_ends_it_cancelled_with_no_restic_left()
    {
        await using var host = await JobTestHost.StartAsync(Server, "cancel-host", uploadLimitKBps: 256);
        await output.DumpOnFailureAsync(async () =>
        {
            var source = host.Folder.Combine("src");
            Restic.WriteRandomFiles(source, 4, 4_000_000);
            var jobId = await host.BackupAsync(source);
            await Server.WaitForJobStatusAsync(jobId, "running", TimeSpan.FromSeconds(30));
            await Eventually.HoldsAsync(() => Restic.ProcessesMentioning(host.Agent.ConfigPath).Count > 0, TimeSpan.FromSeconds(20), "restic runs");

            using var cancel = await Server.Api.PostAsync($"/api/jobs/{jobId}/cancel", null);
            Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
            var job = await Server.WaitForJobAsync(jobId, TimeSpan.FromSeconds(30));
            Assert.Equal("cancelled", job.GetProperty("status").GetString());
            await Eventually.HoldsAsync(() => Restic.ProcessesMentioning(host.Agent.ConfigPath).Count == 0, TimeSpan.FromSeconds(10), "no restic process remains");

            using var again = await Server.Api.PostAsync($"/api/jobs/{jobId}/cancel", null);
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        }, () => Server.Process, () => host.Agent.Process);
    }

    [Fact]
    public async Task Two_hosts_sharing_a_repository_see_and_forget_only_their_own_snapshots()
    {
        using var shared = new TempDirectory("rm-shared");
        var repository = shared.Combine("repo");
        await using var first = await JobTestHost.StartAsync(Server, "shared-one", repository: repository);
        await using var second = await JobTestHost.StartAsync(Server, "shared-two", repository: repository);
        foreach (var host in new[] { first, second, first, second })
        {
            var source = host.Folder.Combine("src");
            Restic.WriteRandomFiles(source, 1, 500);
            var backup = await Server.WaitForJobAsync(await host.BackupAsync(source), TimeSpan.FromMinutes(1));
            Assert.True(backup.GetProperty("status").GetString() == "succeeded", backup.ToString());
        }

        var all = await Restic.SnapshotsAsync(repository, first.Password);
        Assert.Equal(4, all.Count);
        var firstIds = all.Where(s => s.Hostname == "shared-one").Select(s => s.ShortId).Order().ToList();
        var secondIds = all.Where(s => s.Hostname == "shared-two").Select(s => s.ShortId).Order().ToList();
        await Eventually.HoldsAsync(async () => (await Server.SnapshotShortIdsAsync(first.Id)).SequenceEqual(firstIds), TimeSpan.FromSeconds(20), "host one lists its own two");
        await Eventually.HoldsAsync(async () => (await Server.SnapshotShortIdsAsync(second.Id)).SequenceEqual(secondIds), TimeSpan.FromSeconds(20), "host two lists its own two");

        var forget = await Server.WaitForJobAsync(await Server.CreateJobAsync(first.Id, new { kind = "forget", retention = new { keepLast = 1 } }), TimeSpan.FromMinutes(1));
        Assert.Equal("succeeded", forget.GetProperty("status").GetString());
        var remaining = await Restic.SnapshotsAsync(repository, first.Password);
        Assert.Single(remaining, s => s.Hostname == "shared-one");
        Assert.Equal(secondIds, remaining.Where(s => s.Hostname == "shared-two").Select(s => s.ShortId).Order().ToList());
    }

    [Fact]
    public async Task A_job_over_its_timeout_fails_with_no_restic_left_and_the_fleet_stream_shows_each_state()
    {
        await using var host = await JobTestHost.StartAsync(Server, "timeout-host", uploadLimitKBps: 256);
        await using var fleet = ServerSentEvents.Open(Server.Api, "/api/jobs/events");
        await Eventually.HoldsAsync(() => fleet.Connected, TimeSpan.FromSeconds(10), "the fleet stream is open");
        var source = host.Folder.Combine("src");
        Restic.WriteRandomFiles(source, 4, 4_000_000);

        var jobId = await Server.CreateJobAsync(host.Id, new { kind = "backup", paths = new[] { source }, timeoutSeconds = 3 });
        var job = await Server.WaitForJobAsync(jobId, TimeSpan.FromMinutes(1));
        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Contains("timed out after 3 s", job.GetProperty("error").GetString());
        await Eventually.HoldsAsync(() => Restic.ProcessesMentioning(host.Agent.ConfigPath).Count == 0, TimeSpan.FromSeconds(10), "no restic process remains");

        await Eventually.HoldsAsync(() => fleet.Events.Count(e => e.Data.GetProperty("id").GetString() == jobId) >= 4, TimeSpan.FromSeconds(10), "the fleet stream has the job's states");
        Assert.Equal(["queued", "dispatched", "running", "failed"],
            fleet.Events.Where(e => e.Data.GetProperty("id").GetString() == jobId).Select(e => e.Data.GetProperty("status").GetString()!));
    }

    [Fact]
    public async Task Bad_job_requests_are_4xx_problems()
    {
        await using var bare = await AgentProcess.EnrollAsync(Server, "no-repository-host");
        async Task Expect(HttpStatusCode status, string hostId, object body, string? field = null)
        {
            using var response = await Server.Api.PostAsJsonAsync($"/api/hosts/{hostId}/jobs", body);
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            if (field is not null)
            {
                using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), $"expected an error on {field}");
            }
        }

        await Expect(HttpStatusCode.BadRequest, bare.AgentId, new { kind = "teleport" });
        await Expect(HttpStatusCode.BadRequest, bare.AgentId, new { kind = "backup" }, "paths");
        await Expect(HttpStatusCode.BadRequest, bare.AgentId, new { kind = "backup", paths = Array.Empty<string>() }, "paths");
        await Expect(HttpStatusCode.BadRequest, bare.AgentId, new { kind = "forget" }, "retention");
        await Expect(HttpStatusCode.BadRequest, bare.AgentId, new { kind = "forget", retention = new { keepLast = 0 } }, "retention");
        await Expect(HttpStatusCode.BadRequest, bare.AgentId, new { kind = "check", options = new { readDataSubsetPercent = 101 } }, "options.readDataSubsetPercent");
        await Expect(HttpStatusCode.BadRequest, bare.AgentId, new { kind = "prune", paths = new[] { "/" } }, "paths");
        await Expect(HttpStatusCode.NotFound, "no-such-host", new { kind = "check" });
        await Expect(HttpStatusCode.Conflict, bare.AgentId, new { kind = "check" });

        using var unknownJob = await Server.Api.GetAsync("/api/jobs/no-such-job");
        Assert.Equal(HttpStatusCode.NotFound, unknownJob.StatusCode);
    }
}
