using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ResticManager.Agent.Jobs;
using ResticManager.Protocol;

namespace ResticManager.UnitTests;

/// <summary>
/// The job runner with a fake restic (a shell script recording its arguments and repository
/// environment): hooks, their failure policies, the hooks switch and separate repository access.
/// </summary>
public sealed class AgentJobRunnerTests : IAsyncLifetime
{
    static readonly RepositoryConfig HostRepository = new(
        "rest:https://backup.example/host", "host-password", "host-user", "host-credential",
        new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = "host-key" }, null, null);

    readonly TempDirectory dir = new("rm-jobrunner");
    readonly ListLogger logger = new();
    AgentJobHarness? agent;

    string ConfigDirectory => dir.Combine("config");

    string Record => dir.Combine("restic.record");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (agent is not null)
        {
            await agent.DisposeAsync();
        }

        dir.Dispose();
    }

    async Task<JobRunner> StartAsync(bool allowHooks = true, TimeProvider? time = null)
    {
        var restic = dir.Combine("restic");
        await File.WriteAllTextAsync(restic, $"""
            #!/bin/sh
            {"{"} echo "ARGS $*"; env | grep -E '^(RESTIC_|AWS_)' | sort; echo END; {"}"} >> '{Record}'
            [ -f '{dir.Combine("restic-fails")}' ] && exit 1
            exit 0

            """);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(restic, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        agent = await AgentJobHarness.StartAsync(ConfigDirectory, HostRepository, o =>
        {
            o.ResticPath = restic;
            o.AllowHooks = allowHooks;
        }, logger, time);
        agent.Services.GetRequiredService<JobExecutor>().ConfigurationWait = TimeSpan.FromSeconds(5);
        return agent.Jobs;
    }

    static RunJob Job(JobKind kind, JobHooks? hooks = null, RepositoryAccess? admin = null) => AgentJobHarness.Job(kind, hooks: hooks, admin: admin);

    Task<JobFinished> FinishedAsync(string jobId) => agent!.FinishedAsync(jobId, TimeSpan.FromSeconds(60));

    List<string> JobLog(string jobId) => agent!.JobLog(jobId);

    /// <summary>Each restic run: its arguments and its RESTIC_*/AWS_* environment.</summary>
    List<(string Args, Dictionary<string, string> Env)> ResticRuns() =>
        !File.Exists(Record) ? [] : [.. File.ReadAllText(Record).Split("END\n", StringSplitOptions.RemoveEmptyEntries).Select(run =>
        {
            var lines = run.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            return (lines[0]["ARGS ".Length..], lines[1..].Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]));
        })];

    [Fact]
    public async Task A_command_is_accepted_or_ignored_as_expired_by_the_agents_clock()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow.AddDays(1));
        var jobs = await StartAsync(time: clock);
        var running = Path.Combine(ConfigDirectory, "running");
        var fresh = Job(JobKind.Check) with { ExpiresAt = clock.GetUtcNow().AddMinutes(5) };
        var stale = Job(JobKind.Check) with { ExpiresAt = clock.GetUtcNow().AddMinutes(5) };

        jobs.Enqueue(fresh);
        clock.Advance(TimeSpan.FromMinutes(10));
        jobs.Enqueue(stale);

        // An accepted command leaves its marker at once; an ignored one leaves nothing.
        Assert.False(File.Exists(Path.Combine(running, stale.JobId)));
        Assert.Equal(JobOutcome.Succeeded, (await FinishedAsync(fresh.JobId)).Outcome);
        Assert.Contains(logger.Messages, m => m.Contains($"Ignoring job {stale.JobId}: its command expired", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failing_pre_hook_set_to_fail_fails_the_job_without_running_restic()
    {
        var jobs = await StartAsync();
        var job = Job(JobKind.Backup, new JobHooks(Pre: new Hook("echo cannot freeze the database >&2; exit 4", 30, HookFailure.Fail)));

        jobs.Enqueue(job);
        var finished = await FinishedAsync(job.JobId);

        Assert.Equal(JobOutcome.Failed, finished.Outcome);
        Assert.Equal("the pre hook exited with code 4; restic was not run", finished.Error);
        Assert.Empty(ResticRuns());
        Assert.Contains("pre-hook: cannot freeze the database", JobLog(job.JobId));
    }

    [Fact]
    public async Task A_failing_pre_hook_set_to_cancel_cancels_the_job_and_one_set_to_ignore_lets_restic_run()
    {
        var jobs = await StartAsync();
        var cancelled = Job(JobKind.Backup, new JobHooks(Pre: new Hook("exit 1", 30, HookFailure.Cancel)));
        var ignored = Job(JobKind.Backup, new JobHooks(Pre: new Hook("exit 1", 30, HookFailure.Ignore)));

        jobs.Enqueue(cancelled);
        jobs.Enqueue(ignored);

        var first = await FinishedAsync(cancelled.JobId);
        Assert.Equal(JobOutcome.Cancelled, first.Outcome);
        Assert.Contains("the pre hook exited with code 1", first.Error);
        var second = await FinishedAsync(ignored.JobId);
        Assert.Equal(JobOutcome.Succeeded, second.Outcome);
        Assert.Single(ResticRuns(), r => r.Args.Contains(" backup ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_post_hook_gets_the_job_and_restics_outcome_and_its_failure_can_fail_the_job()
    {
        var jobs = await StartAsync();
        var seen = dir.Combine("post-saw");
        var job = Job(JobKind.Backup, new JobHooks(Post: new Hook($"echo \"$RESTIC_MANAGER_JOB_ID $RESTIC_MANAGER_OUTCOME\" > '{seen}'; exit 2", 30, HookFailure.Fail)));

        jobs.Enqueue(job);
        var finished = await FinishedAsync(job.JobId);

        Assert.Equal(JobOutcome.Failed, finished.Outcome);
        Assert.Equal(0, finished.ExitCode);
        Assert.Equal("the post hook exited with code 2; the snapshot stays", finished.Error);
        Assert.Equal($"{job.JobId} succeeded", File.ReadAllText(seen).Trim());
        // restic's own outcome still refreshes the snapshot list.
        await Eventually.HoldsAsync(() => ResticRuns().Any(r => r.Args.EndsWith("snapshots --json --no-lock --host host", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30), "the snapshot list was refreshed after the backup");
    }

    [Fact]
    public async Task The_post_hook_runs_after_a_failed_backup_and_a_cancel_policy_cancels_the_job()
    {
        var jobs = await StartAsync();
        File.WriteAllText(dir.Combine("restic-fails"), string.Empty);
        var seen = dir.Combine("post-saw");
        var job = Job(JobKind.Backup, new JobHooks(Post: new Hook($"echo \"$RESTIC_MANAGER_OUTCOME\" > '{seen}'; exit 1", 30, HookFailure.Cancel)));

        jobs.Enqueue(job);
        var finished = await FinishedAsync(job.JobId);

        Assert.Equal(JobOutcome.Cancelled, finished.Outcome);
        Assert.Equal("restic exited with code 1; the post hook exited with code 1", finished.Error);
        Assert.Equal("failed", File.ReadAllText(seen).Trim());
    }

    [Fact]
    public async Task With_hooks_disabled_a_job_carrying_hooks_fails_and_runs_nothing()
    {
        var jobs = await StartAsync(allowHooks: false);
        var ran = dir.Combine("hook-ran");
        var job = Job(JobKind.Backup, new JobHooks(new Hook($"touch '{ran}'", 30, HookFailure.Ignore), new Hook($"touch '{ran}'", 30, HookFailure.Ignore)));

        jobs.Enqueue(job);
        var finished = await FinishedAsync(job.JobId);

        Assert.Equal(JobOutcome.Failed, finished.Outcome);
        Assert.Contains("hooks are disabled on this host", finished.Error);
        Assert.False(File.Exists(ran));
        Assert.Empty(ResticRuns());
    }

    [Fact]
    public async Task Cancelling_during_the_pre_hook_kills_it_and_cancels_the_job()
    {
        var jobs = await StartAsync();
        var ready = dir.Combine("pre-ready");
        var job = Job(JobKind.Backup, new JobHooks(new Hook($"touch '{ready}'; sleep 300", 300, HookFailure.Fail), new Hook("true", 30, HookFailure.Fail)));

        jobs.Enqueue(job);
        await Eventually.HoldsAsync(() => File.Exists(ready), TimeSpan.FromSeconds(30), "the pre hook started");
        jobs.Cancel(job.JobId);
        var finished = await FinishedAsync(job.JobId);

        Assert.Equal(JobOutcome.Cancelled, finished.Outcome);
        Assert.Equal("cancelled; the pre hook was stopped", finished.Error);
        Assert.Empty(ResticRuns());
    }

    [Fact]
    public async Task Hooks_on_other_jobs_than_backups_are_ignored_with_a_warning()
    {
        var jobs = await StartAsync();
        var ran = dir.Combine("hook-ran");
        var job = Job(JobKind.Check, new JobHooks(Pre: new Hook($"touch '{ran}'", 30, HookFailure.Fail)));

        jobs.Enqueue(job);
        var finished = await FinishedAsync(job.JobId);

        Assert.Equal(JobOutcome.Succeeded, finished.Outcome);
        Assert.False(File.Exists(ran));
        Assert.Contains("hooks ignored: they only run around backups", JobLog(job.JobId));
    }

    [Fact]
    public async Task Separate_access_is_used_for_prune_only_and_never_written_down_or_logged()
    {
        var jobs = await StartAsync();
        var admin = new RepositoryAccess("rest:https://admin.example/host", null, "admin-credential-SECRET", "admin-password-SECRET",
            new Dictionary<string, string> { ["AWS_SECRET_ACCESS_KEY"] = "admin-aws-SECRET", ["LD_PRELOAD"] = "/tmp/evil.so" });
        var job = Job(JobKind.Prune, admin: admin);

        jobs.Enqueue(job);
        var finished = await FinishedAsync(job.JobId);
        await Eventually.HoldsAsync(() => ResticRuns().Any(r => r.Args.EndsWith("list locks --no-lock", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30), "the repository was measured after the prune");

        Assert.Equal(JobOutcome.Succeeded, finished.Outcome);
        var runs = ResticRuns();
        var prune = Assert.Single(runs, r => r.Args.EndsWith(" prune", StringComparison.Ordinal));
        Assert.Equal("rest:https://host-user:admin-credential-SECRET@admin.example/host", prune.Env["RESTIC_REPOSITORY"]);
        Assert.Equal("admin-password-SECRET", prune.Env["RESTIC_PASSWORD"]);
        Assert.Equal("admin-aws-SECRET", prune.Env["AWS_SECRET_ACCESS_KEY"]);
        Assert.Equal("host-key", prune.Env["AWS_ACCESS_KEY_ID"]);
        foreach (var followUp in runs.Where(r => r != prune))
        {
            Assert.Equal("host-password", followUp.Env["RESTIC_PASSWORD"]);
            Assert.False(followUp.Env.ContainsKey("AWS_SECRET_ACCESS_KEY"));
        }

        AssertNowhere(["admin-credential-SECRET", "admin-password-SECRET", "admin-aws-SECRET"]);
    }

    [Fact]
    public async Task Separate_access_on_a_backup_is_ignored_with_a_warning_that_names_no_secret()
    {
        var jobs = await StartAsync();
        var job = Job(JobKind.Backup, admin: new RepositoryAccess("rest:https://admin.example/host", "admin", "admin-credential-SECRET", "admin-password-SECRET", null));

        jobs.Enqueue(job);
        var finished = await FinishedAsync(job.JobId);

        Assert.Equal(JobOutcome.Succeeded, finished.Outcome);
        var backup = Assert.Single(ResticRuns(), r => r.Args.Contains(" backup ", StringComparison.Ordinal));
        Assert.Equal("host-password", backup.Env["RESTIC_PASSWORD"]);
        Assert.Equal("rest:https://host-user:host-credential@backup.example/host", backup.Env["RESTIC_REPOSITORY"]);
        Assert.Single(logger.Messages, m => m.Contains("separate repository access ignored", StringComparison.Ordinal));
        AssertNowhere(["admin-credential-SECRET", "admin-password-SECRET"]);
    }

    [Fact]
    public async Task A_restore_of_another_hosts_snapshot_without_its_access_fails_and_never_falls_back_to_this_hosts_repository()
    {
        var jobs = await StartAsync();
        var job = Job(JobKind.Restore) with { Restore = new RestoreSpec("abcdef12", ["/srv/a"], "/restore", RestoreOverwrite.Never, SourceHostId: "host-a") };

        jobs.Enqueue(job);
        var finished = await FinishedAsync(job.JobId);

        Assert.Equal(JobOutcome.Failed, finished.Outcome);
        Assert.Contains("without that host's repository access", finished.Error);
        Assert.DoesNotContain(ResticRuns(), r => r.Env.Count > 0);
    }

    [Fact]
    public async Task A_restore_of_another_hosts_snapshot_runs_with_that_hosts_access_alone_which_is_never_written_down_or_logged()
    {
        var jobs = await StartAsync();
        var source = new RepositoryAccess("/repositories/host-a", null, null, "host-a-password-SECRET", new Dictionary<string, string> { ["AWS_SECRET_ACCESS_KEY"] = "host-a-aws-SECRET" });
        var job = Job(JobKind.Restore, admin: source) with { Restore = new RestoreSpec("abcdef12", ["/srv/a"], "/restore", RestoreOverwrite.Never, SourceHostId: "host-a") };

        jobs.Enqueue(job);
        await FinishedAsync(job.JobId);

        var listing = Assert.Single(ResticRuns(), r => r.Args.StartsWith("--cache-dir", StringComparison.Ordinal) && r.Args.Contains(" ls --json", StringComparison.Ordinal));
        Assert.Equal("/repositories/host-a", listing.Env["RESTIC_REPOSITORY"]);
        Assert.Equal("host-a-password-SECRET", listing.Env["RESTIC_PASSWORD"]);
        Assert.Equal("host-a-aws-SECRET", listing.Env["AWS_SECRET_ACCESS_KEY"]);
        Assert.False(listing.Env.ContainsKey("AWS_ACCESS_KEY_ID"), "none of this host's own backend variables");
        AssertNowhere(["host-a-password-SECRET", "host-a-aws-SECRET"]);
    }

    /// <summary>Not in any file the agent keeps (outbox, running markers, seen jobs …), nor in its log.</summary>
    void AssertNowhere(IReadOnlyList<string> secrets)
    {
        foreach (var path in Directory.GetFiles(ConfigDirectory, "*", SearchOption.AllDirectories))
        {
            var content = File.ReadAllText(path);
            Assert.All(secrets, s => Assert.DoesNotContain(s, content));
        }

        Assert.All(logger.Messages, m => Assert.All(secrets, s => Assert.DoesNotContain(s, m)));
    }

    /// <summary>Every agent part's log.</summary>
    sealed class ListLogger : ILoggerProvider, ILogger
    {
        readonly ConcurrentQueue<string> messages = new();

        public IReadOnlyCollection<string> Messages => messages;

        public ILogger CreateLogger(string categoryName) => this;

        public void Dispose()
        {
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            messages.Enqueue(formatter(state, exception) + exception);
    }
}
