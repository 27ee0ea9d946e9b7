using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ResticManager.Contracts;
using ResticManager.Jobs;
using ResticManager.Protocol;

namespace ResticManager.UnitTests.Jobs;

/// <summary>
/// The job state rules, in process: the jobs service's real consumers on MassTransit's test harness,
/// its SQLite file and outbox, and a manual clock. Each test is a sentence about one rule.
/// </summary>
public sealed class JobStateRulesTests(JobRulesHost jobs) : IClassFixture<JobRulesHost>
{
    // Each rule takes a few hundred milliseconds here; the bound is generous for shared machines and
    // only catches a test that started waiting on real time (a sleep, a poll interval) by mistake.
    static readonly TimeSpan Fast = TimeSpan.FromSeconds(5);

    /// <summary>Each state announced once; the outbox publishes a batch concurrently, so not necessarily in this order.</summary>
    static void AssertStates(JobStatus[] expected, List<JobStatus> published) => Assert.Equal(expected.Order(), published.Order());

    [Fact]
    public async Task A_finish_that_overtakes_its_start_settles_the_job_and_the_late_start_changes_nothing()
    {
        var watch = Stopwatch.StartNew();
        var host = JobRulesHost.NewHostId();
        await jobs.OnlineAsync(host);
        var jobId = await jobs.QueueAsync(host, JobKind.Backup);
        Assert.Equal(JobStatus.Dispatched, (await jobs.JobAsync(jobId)).Status);

        await jobs.FinishedAsync(host, jobId, $"{jobId}:2");
        await jobs.StartedAsync(host, jobId, $"{jobId}:1");

        var job = await jobs.JobAsync(jobId);
        Assert.Equal(JobStatus.Succeeded, job.Status);
        Assert.NotNull(job.StartedAt);
        AssertStates([JobStatus.Queued, JobStatus.Dispatched, JobStatus.Succeeded], await jobs.PublishedStatesAsync(jobId));
        Assert.True(watch.Elapsed < Fast, $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task A_duplicated_start_and_finish_change_the_job_once_and_announce_it_once()
    {
        var watch = Stopwatch.StartNew();
        var host = JobRulesHost.NewHostId();
        await jobs.OnlineAsync(host);
        var jobId = await jobs.QueueAsync(host, JobKind.Backup);

        await jobs.StartedAsync(host, jobId, $"{jobId}:1");
        await jobs.StartedAsync(host, jobId, $"{jobId}:1");
        await jobs.FinishedAsync(host, jobId, $"{jobId}:2", JobOutcome.Warning);
        // The same event id again, even with another outcome, is the same event: it changes nothing.
        await jobs.FinishedAsync(host, jobId, $"{jobId}:2", JobOutcome.Failed);

        Assert.Equal(JobStatus.Warning, (await jobs.JobAsync(jobId)).Status);
        AssertStates([JobStatus.Queued, JobStatus.Dispatched, JobStatus.Running, JobStatus.Warning], await jobs.PublishedStatesAsync(jobId));
        Assert.Equal(4, jobs.Commands(host, MessageTypes.Acknowledge).Count);
        Assert.True(watch.Elapsed < Fast, $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task A_job_lost_while_its_host_is_offline_is_settled_by_the_agents_late_finish()
    {
        var watch = Stopwatch.StartNew();
        var host = JobRulesHost.NewHostId();
        await jobs.OnlineAsync(host);
        var jobId = await jobs.QueueAsync(host, JobKind.Backup);
        await jobs.StartedAsync(host, jobId, $"{jobId}:1");
        await jobs.OfflineAsync(host);

        await jobs.SweepAsync();
        Assert.Equal(JobStatus.Running, (await jobs.JobAsync(jobId)).Status);
        jobs.Clock.Advance(TimeSpan.FromMinutes(16));
        await jobs.SweepAsync();
        var lost = await jobs.JobAsync(jobId);
        Assert.Equal(JobStatus.Lost, lost.Status);
        Assert.Equal(jobs.Clock.GetUtcNow().UtcDateTime, lost.FinishedAt); // when it was given up on: the dashboard counts it as failed

        await jobs.OnlineAsync(host, connectionSeq: 2);
        await jobs.FinishedAsync(host, jobId, $"{jobId}:2");

        var job = await jobs.JobAsync(jobId);
        Assert.Equal(JobStatus.Succeeded, job.Status);
        Assert.Null(job.Error);
        AssertStates([JobStatus.Queued, JobStatus.Dispatched, JobStatus.Running, JobStatus.Lost, JobStatus.Succeeded], await jobs.PublishedStatesAsync(jobId));
        Assert.True(watch.Elapsed < Fast, $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task A_cancel_that_overtakes_its_command_is_said_again_once_the_agent_starts_the_job()
    {
        var watch = Stopwatch.StartNew();
        var host = JobRulesHost.NewHostId();
        await jobs.OnlineAsync(host);
        var jobId = await jobs.QueueAsync(host, JobKind.Prune);
        Assert.Equal(JobStatus.Dispatched, (await jobs.JobAsync(jobId)).Status);

        await using (var scope = jobs.Services.CreateAsyncScope())
        {
            var outcome = await scope.ServiceProvider.GetRequiredService<JobCancellation>().CancelAsync(jobId, CancellationToken.None);
            Assert.True(outcome.Job!.CancelRequested);
        }

        // The agent had not seen the job when the cancel came (prune travels through the inventory), so it ignored it.
        await jobs.StartedAsync(host, jobId, $"{jobId}:1");
        await jobs.PublishedStatesAsync(jobId);
        var cancels = jobs.Commands(host, MessageTypes.CancelJob);
        Assert.Equal(2, cancels.Count);
        Assert.All(cancels, c => Assert.Equal(jobId, JsonSerializer.Deserialize<CancelJob>(c.Payload, WireJson.Options)!.JobId));

        await jobs.FinishedAsync(host, jobId, $"{jobId}:2", JobOutcome.Cancelled);
        Assert.Equal(JobStatus.Cancelled, (await jobs.JobAsync(jobId)).Status);
        Assert.True(watch.Elapsed < Fast, $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Scheduled_runs_for_an_offline_host_coalesce_into_one_queued_job_that_does_what_the_newest_fire_asks()
    {
        var watch = Stopwatch.StartNew();
        var host = JobRulesHost.NewHostId();
        await jobs.OfflineAsync(host);

        var first = await jobs.QueueAsync(host, JobKind.Backup, "schedule-1", "group-1", "fire-1", ["/old"]);
        var second = await jobs.QueueAsync(host, JobKind.Backup, "schedule-1", "group-1", "fire-2", ["/new"]);
        var again = await jobs.QueueAsync(host, JobKind.Backup, "schedule-1", "group-1", "fire-2", ["/new"]);
        var otherGroup = await jobs.QueueAsync(host, JobKind.Backup, "schedule-1", "group-2", "fire-2b");

        Assert.Equal(first, second);
        Assert.Equal(first, again);
        Assert.NotEqual(first, otherGroup);
        var job = await jobs.JobAsync(first);
        Assert.Equal(JobStatus.Queued, job.Status);
        Assert.Contains("/new", job.RequestJson, StringComparison.Ordinal);
        Assert.DoesNotContain("/old", job.RequestJson, StringComparison.Ordinal);

        // Back online (a newer connection), the one run goes out; it no longer stands for later fires.
        await jobs.OnlineAsync(host, connectionSeq: 2);
        Assert.Equal(JobStatus.Dispatched, (await jobs.JobAsync(first)).Status);
        var later = await jobs.QueueAsync(host, JobKind.Backup, "schedule-1", "group-1", "fire-3");
        Assert.NotEqual(first, later);
        AssertStates([JobStatus.Queued, JobStatus.Dispatched], await jobs.PublishedStatesAsync(first));
        Assert.True(watch.Elapsed < Fast, $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task A_new_repository_gets_one_init_and_a_rebind_of_the_same_one_gets_none()
    {
        var host = JobRulesHost.NewHostId();
        await jobs.OnlineAsync(host);

        await jobs.DeliverAsync<HostRepositoryChangedConsumer, HostRepositoryChanged>(new HostRepositoryChanged(host, true, 1));
        var init = Assert.Single(await jobs.JobsOfAsync(host));
        Assert.Equal(JobKind.Init, init.Kind);
        await jobs.FinishedAsync(host, init.Id, $"{init.Id}:1");

        // Only a limit changed: same URL since version 1, new version, no init.
        await jobs.DeliverAsync<HostRepositoryChangedConsumer, HostRepositoryChanged>(new HostRepositoryChanged(host, true, 2, RepositorySince: 1));
        Assert.Single(await jobs.JobsOfAsync(host));

        // Another repository (since 3), then a limit change on it (4) that overtakes it on the bus: one init still.
        await jobs.DeliverAsync<HostRepositoryChangedConsumer, HostRepositoryChanged>(new HostRepositoryChanged(host, true, 4, RepositorySince: 3));
        await jobs.DeliverAsync<HostRepositoryChangedConsumer, HostRepositoryChanged>(new HostRepositoryChanged(host, true, 3, RepositorySince: 3));
        var inits = (await jobs.JobsOfAsync(host)).Where(j => j.Kind == JobKind.Init).ToList();
        Assert.Equal(2, inits.Count);
    }
}
