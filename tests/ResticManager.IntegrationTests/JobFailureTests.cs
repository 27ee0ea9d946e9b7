namespace ResticManager.IntegrationTests;

/// <summary>When restic cannot do the job, the job fails with restic's own words, and the agent carries on.</summary>
[Collection(ServerCollection.Name)]
public sealed class JobFailureTests(ServerFixture fixture, ITestOutputHelper output)
{
    ServerProcess Server => fixture.Server;

    [Fact]
    public async Task A_missing_restic_fails_the_job_and_the_agent_stays_online()
    {
        await using var host = await JobTestHost.StartAsync(Server, "no-restic-host", waitForInit: false, agentSettings: ["--Agent:ResticPath", "/nonexistent/restic"]);
        var init = await host.WaitForInitAsync();
        Assert.Equal("failed", init.GetProperty("status").GetString());
        Assert.Contains("restic cannot be started at '/nonexistent/restic'", init.GetProperty("error").GetString());
        Assert.Contains(await Server.GetLogAsync(init.GetProperty("id").GetString()!), l => l.GetProperty("stream").GetString() == "agent");
        Assert.Equal("online", await Server.GetHostStatusAsync(host.Id));
        Assert.Equal(JsonValueKindNull, (await Server.GetHostAsync(host.Id)).TryGetProperty("resticVersion", out var version) ? version.ValueKind : JsonValueKindNull);
    }

    const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;

    [Fact]
    public async Task A_missing_repository_fails_init_and_backup_with_restics_message()
    {
        // Nothing can be created under /proc, so init fails and the repository stays missing.
        await using var host = await JobTestHost.StartAsync(Server, "missing-repo-host", repository: "/proc/rm-no-such-repository", waitForInit: false);
        var init = await host.WaitForInitAsync();
        Assert.Equal("failed", init.GetProperty("status").GetString());

        var source = host.Folder.Combine("src");
        Restic.WriteRandomFiles(source, 1, 100);
        var backup = await Server.WaitForJobAsync(await host.BackupAsync(source), TimeSpan.FromMinutes(1));
        Assert.Equal("failed", backup.GetProperty("status").GetString());
        Assert.StartsWith("Fatal:", backup.GetProperty("error").GetString());
        Assert.Contains("config", backup.GetProperty("error").GetString());
        Assert.Equal("online", await Server.GetHostStatusAsync(host.Id));
    }

    [Fact]
    public async Task A_locked_repository_fails_prune_with_restics_message_then_unlock_and_backup_carry_on()
    {
        await using var host = await JobTestHost.StartAsync(Server, "locked-host");
        await output.DumpOnFailureAsync(async () =>
        {
            var source = host.Folder.Combine("src");
            Restic.WriteRandomFiles(source, 2, 2_000_000);
            Assert.Equal("succeeded", (await Server.WaitForJobAsync(await host.BackupAsync(source), TimeSpan.FromMinutes(1))).GetProperty("status").GetString());

            // A backup reading a standard input that never ends holds a lock that prune, which needs
            // the repository alone, cannot get.
            await using (var holder = ChildProcess.Start("restic-backup-stdin", "restic", ["backup", "--stdin", "--stdin-filename", "endless"], new Dictionary<string, string>
            {
                ["RESTIC_REPOSITORY"] = host.Repository,
                ["RESTIC_PASSWORD"] = host.Password,
                ["RESTIC_CACHE_DIR"] = host.Folder.Combine("holder-cache"),
            }, holdStdinOpen: true))
            {
                await Eventually.HoldsAsync(() => Directory.Exists(Path.Combine(host.Repository, "locks")) && Directory.GetFiles(Path.Combine(host.Repository, "locks")).Length > 0,
                    TimeSpan.FromSeconds(30), "the stdin backup holds a lock");
                var prune = await Server.WaitForJobAsync(await Server.CreateJobAsync(host.Id, new { kind = "prune" }), TimeSpan.FromMinutes(1));
                Assert.Equal("failed", prune.GetProperty("status").GetString());
                Assert.Contains("repository is already locked", prune.GetProperty("error").GetString());
                Assert.False(holder.HasExited);
                output.WriteLine($"prune failed with: {prune.GetProperty("error").GetString()}");
            }

            // The holder was killed: its lock is stale, and unlock removes it.
            var unlock = await Server.WaitForJobAsync(await Server.CreateJobAsync(host.Id, new { kind = "unlock" }), TimeSpan.FromMinutes(1));
            Assert.Equal("succeeded", unlock.GetProperty("status").GetString());
            Restic.WriteRandomFiles(source, 3, 1000);
            Assert.Equal("succeeded", (await Server.WaitForJobAsync(await host.BackupAsync(source), TimeSpan.FromMinutes(1))).GetProperty("status").GetString());
        }, () => Server.Process, () => host.Agent.Process);
    }
}
