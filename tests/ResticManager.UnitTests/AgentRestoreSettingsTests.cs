using ResticManager.Agent;
using ResticManager.Protocol;

namespace ResticManager.UnitTests;

/// <summary>The host's own switches for restores (Agent:AllowRestore, Agent:AllowCrossHostRestore), with a restic that only records that it ran.</summary>
public sealed class AgentRestoreSettingsTests : IAsyncLifetime
{
    readonly TempDirectory dir = new("rm-restore-settings");
    AgentJobHarness? agent;

    string Ran => dir.Combine("restic-ran");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (agent is not null)
        {
            await agent.DisposeAsync();
        }

        dir.Dispose();
    }

    async Task<JobFinished> RunAsync(RunJob job, Action<AgentOptions> configure)
    {
        var restic = dir.Combine("restic");
        await File.WriteAllTextAsync(restic, $"#!/bin/sh\ntouch '{Ran}'\nexit 1\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(restic, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        agent = await AgentJobHarness.StartAsync(dir.Combine("config"), new RepositoryConfig("/repo-b", "password-b", null, null, null, null, null), o =>
        {
            o.ResticPath = restic;
            configure(o);
        });
        agent.Jobs.Enqueue(job);
        return await agent.FinishedAsync(job.JobId, TimeSpan.FromSeconds(60));
    }

    RunJob Restore(string? sourceHost) =>
        AgentJobHarness.Job(JobKind.Restore, admin: sourceHost is null ? null : new RepositoryAccess("/repo-a", null, null, "password-a", null))
        with { Restore = new RestoreSpec("abcdef12", ["/srv/a"], dir.Combine("target"), RestoreOverwrite.Never, SourceHostId: sourceHost) };

    [Fact]
    public void Both_are_on_by_default() => Assert.True(new AgentOptions() is { AllowRestore: true, AllowCrossHostRestore: true });

    [Fact]
    public async Task A_host_that_allows_no_restore_fails_one_without_running_restic()
    {
        var finished = await RunAsync(Restore(null), o => o.AllowRestore = false);

        Assert.Equal(JobOutcome.Failed, finished.Outcome);
        Assert.Contains("Agent:AllowRestore", finished.Error);
        Assert.False(File.Exists(Ran), "restic never ran");
        Assert.False(Directory.Exists(dir.Combine("target")));
    }

    [Fact]
    public async Task A_host_that_allows_no_cross_host_restore_fails_one_of_another_hosts_snapshot_without_running_restic()
    {
        var finished = await RunAsync(Restore("host-a"), o => o.AllowCrossHostRestore = false);

        Assert.Equal(JobOutcome.Failed, finished.Outcome);
        Assert.Contains("Agent:AllowCrossHostRestore", finished.Error);
        Assert.False(File.Exists(Ran), "restic never ran");
    }

    [Fact]
    public async Task A_host_that_allows_no_cross_host_restore_still_restores_its_own_snapshots()
    {
        var finished = await RunAsync(Restore(null), o => o.AllowCrossHostRestore = false);

        Assert.DoesNotContain("Agent:Allow", finished.Error);
        Assert.True(File.Exists(Ran), "restic ran (and, being a stand-in, failed)");
    }
}
