using System.Text.Json;

namespace ResticManager.IntegrationTests;

/// <summary>Nothing is lost when the server or the network drops mid-job: the agent's outbox replays, the server applies each event once.</summary>
[Collection(ServerCollection.Name)]
public sealed class JobResilienceTests(ServerFixture fixture, ITestOutputHelper output)
{
    ServerProcess Server => fixture.Server;

    [Fact]
    public async Task A_backup_whose_server_is_killed_until_restic_has_exited_ends_with_its_final_state_and_every_log_line_once()
    {
        await using var host = await JobTestHost.StartAsync(Server, "server-killed-host", uploadLimitKBps: 8192);
        await output.DumpOnFailureAsync(async () =>
        {
            var (jobId, _) = await StartLongBackupAsync(host);
            await Server.KillAsync();
            await Eventually.HoldsAsync(() => Restic.ProcessesMentioning(host.Agent.ConfigPath).Count == 0, TimeSpan.FromMinutes(2),
                "restic finishes while the server is down");

            await Server.StartAgainAsync();
            await AssertEndedWithEveryLogLineOnceAsync(jobId);
        }, () => Server.Process, () => host.Agent.Process);
    }

    [Fact]
    public async Task A_backup_whose_agent_loses_its_network_until_restic_has_exited_ends_with_its_final_state_and_every_log_line_once()
    {
        await using var proxy = new TcpProxy(Server.MqttPort);
        await using var host = await JobTestHost.StartAsync(Server, "network-cut-host", uploadLimitKBps: 8192,
            agentSettings: ["--Agent:MqttUrl", $"mqtt://127.0.0.1:{proxy.Port}"]);
        await output.DumpOnFailureAsync(async () =>
        {
            var (jobId, _) = await StartLongBackupAsync(host);
            proxy.Cut();
            await Server.WaitForStatusAsync(host.Id, "offline", TimeSpan.FromSeconds(20));
            await Eventually.HoldsAsync(() => Restic.ProcessesMentioning(host.Agent.ConfigPath).Count == 0, TimeSpan.FromMinutes(2),
                "restic finishes while the agent is cut off");
            // The server has not heard the end: after Jobs:LostAfter the job is provisionally lost.
            await Server.WaitForJobStatusAsync(jobId, "lost", TimeSpan.FromSeconds(30));

            proxy.Restore();
            await Server.WaitForStatusAsync(host.Id, "online", TimeSpan.FromSeconds(30));
            await AssertEndedWithEveryLogLineOnceAsync(jobId);
        }, () => Server.Process, () => host.Agent.Process);
    }

    [Fact]
    public async Task A_job_for_a_stopped_agent_waits_and_runs_when_the_agent_starts()
    {
        await using var host = await JobTestHost.StartAsync(Server, "stopped-agent-host");
        await host.Agent.KillAsync();
        await Server.WaitForStatusAsync(host.Id, "offline", TimeSpan.FromSeconds(20));

        var source = host.Folder.Combine("src");
        Restic.WriteRandomFiles(source, 2, 1000);
        var first = await host.BackupAsync(source);
        var second = await Server.CreateJobAsync(host.Id, new { kind = "check" });
        Assert.Equal("queued", (await Server.GetJobAsync(first)).GetProperty("status").GetString());

        host.Agent.Start();
        var backup = await Server.WaitForJobAsync(first, TimeSpan.FromMinutes(1));
        var check = await Server.WaitForJobAsync(second, TimeSpan.FromMinutes(1));
        Assert.Equal("succeeded", backup.GetProperty("status").GetString());
        Assert.Equal("succeeded", check.GetProperty("status").GetString());
        // Oldest first, one at a time.
        Assert.True(check.GetProperty("startedAt").GetDateTimeOffset() >= backup.GetProperty("finishedAt").GetDateTimeOffset());
        Assert.Single(await Restic.SnapshotsAsync(host.Repository, host.Password));
    }

    /// <summary>A backup that runs for several seconds and logs a line per missing path up front.</summary>
    static async Task<(string JobId, string Source)> StartLongBackupAsync(JobTestHost host)
    {
        var source = host.Folder.Combine("src");
        Restic.WriteRandomFiles(source, 25, 4_000_000);
        var missing = Enumerable.Range(0, 30).Select(i => host.Folder.Combine($"missing-{i}"));
        var jobId = await host.Server.CreateJobAsync(host.Id, new { kind = "backup", paths = missing.Append(source).ToArray() });
        await host.Server.WaitForJobStatusAsync(jobId, "running", TimeSpan.FromSeconds(30));
        await Eventually.HoldsAsync(() => Restic.ProcessesMentioning(host.Agent.ConfigPath).Count > 0, TimeSpan.FromSeconds(20), "restic runs");
        return (jobId, source);
    }

    async Task AssertEndedWithEveryLogLineOnceAsync(string jobId)
    {
        var job = await Server.WaitForJobAsync(jobId, TimeSpan.FromMinutes(1));
        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        var expected = job.GetProperty("logLines").GetInt64();
        var log = await Server.GetCompleteLogAsync(job);
        var numbers = log.Select(l => l.GetProperty("n").GetInt64()).ToList();
        output.WriteLine($"{numbers.Count} log lines, job says {expected}");
        Assert.True(expected > 30, $"the job logged {expected} lines");
        Assert.Equal(Enumerable.Range(1, (int)expected).Select(n => (long)n), numbers);
        Assert.Equal(30, log.Count(l => l.GetProperty("text").GetString()!.Contains("does not exist, skipping", StringComparison.Ordinal)));
        Assert.Single(log, l => l.GetProperty("text").GetString()!.Contains("\"message_type\":\"summary\"", StringComparison.Ordinal));
    }
}
