using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ResticManager.Agent.Connection;
using ResticManager.Agent.Storage;
using ResticManager.Protocol;

namespace ResticManager.Agent.Jobs;

/// <summary>
/// Runs the jobs the server sends, one at a time, oldest first. Duplicate and expired commands are
/// ignored; a cancel or the job's timeout stops what is running; the job's end goes to the outbox,
/// followed by the reports that refresh the server's view of the repository. A job that was running
/// when the agent stopped is reported failed when it starts again.
/// </summary>
public sealed class JobRunner(
    AgentFiles files, SeenJobs seen, RunningJobs runningJobs, JobCancellations cancellations, JobExecutor executor, JobReports reports,
    RepositoryStore repositories, Outbox outbox, AgentLink link, TimeProvider time, ILogger<JobRunner> logger)
    : BackgroundService
{
    readonly Channel<RunJob> queue = Channel.CreateUnbounded<RunJob>(new UnboundedChannelOptions { SingleReader = true });

    public void Enqueue(RunJob job)
    {
        if (job.ExpiresAt < time.GetUtcNow())
        {
            logger.LogWarning("Ignoring job {JobId}: its command expired at {ExpiresAt}; the server sends it again", job.JobId, job.ExpiresAt);
            return;
        }

        if (!seen.TryAdd(job.JobId))
        {
            logger.LogInformation("Ignoring job {JobId}: already received", job.JobId);
            return;
        }

        // The marker goes down with "seen": a job accepted but not finished when the agent stops is
        // reported as interrupted at the next start, never silently dropped as already received.
        runningJobs.Mark(job);
        logger.LogInformation("Accepted job {JobId} ({Kind})", job.JobId, job.Kind);
        queue.Writer.TryWrite(job);
    }

    public void Cancel(string jobId) => cancellations.Cancel(jobId);

    /// <summary>
    /// Interrupted jobs are reported before the runner counts as started: hosted services start in
    /// order, so no job can be received (and leave its marker) before its predecessors' markers are read.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await runningJobs.ReportInterruptedAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var job in queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await RunAsync(job, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Job {JobId} could not be run", job.JobId);
            }
        }
    }

    async Task RunAsync(RunJob job, CancellationToken stopping)
    {
        var hostname = files.LoadConfig().Hostname;
        await using var execution = new JobExecution(job.JobId, outbox, link, time);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        if (!cancellations.TryStart(job.JobId, cancel))
        {
            await execution.FinishedAsync(JobOutcome.Cancelled, null, "cancelled before it started", null, stopping);
            runningJobs.Clear(job.JobId);
            return;
        }

        using var timeout = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        if (job.TimeoutSeconds is { } seconds)
        {
            timeout.CancelAfter(TimeSpan.FromSeconds(seconds));
        }

        using var ended = CancellationTokenSource.CreateLinkedTokenSource(cancel.Token, timeout.Token);
        try
        {
            await execution.StartedAsync(job.Kind, stopping);
            JobResult result;
            try
            {
                result = await executor.ExecuteAsync(job, execution, hostname, ended.Token, cancel.Token);
            }
            catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
            {
                // Only waiting for the configuration throws: nothing was running.
                result = JobResult.Failed(null, stopped: null);
            }
            catch (Exception ex) when (!stopping.IsCancellationRequested)
            {
                // Whatever went wrong, the job must end: a job left running blocks the host's queue.
                logger.LogError(ex, "Job {JobId} failed in the agent", job.JobId);
                result = JobResult.Failed($"the agent failed to run the job: {ex.Message}");
            }

            if (ended.IsCancellationRequested && result.Outcome == JobOutcome.Failed && !stopping.IsCancellationRequested)
            {
                var stopped = result.Stopped is { } what ? $"; {what} was stopped" : string.Empty;
                result = timeout.IsCancellationRequested
                    ? result with { Error = $"timed out after {job.TimeoutSeconds} s{stopped}" }
                    : result with { Outcome = JobOutcome.Cancelled, Error = "cancelled" + stopped };
            }

            if (stopping.IsCancellationRequested)
            {
                // The marker stays: the next start reports this job as interrupted.
                return;
            }

            await execution.FinishedAsync(result.Outcome, result.ExitCode, result.Error, result.Summary, CancellationToken.None);
            logger.LogInformation("Job {JobId} ({Kind}) ended {Outcome} (exit code {ExitCode})", job.JobId, job.Kind, result.Outcome, result.ExitCode);
            runningJobs.Clear(job.JobId);

            // The job is over as soon as restic and its hooks are; the reports that follow it refresh the
            // catalogue from what restic did (a snapshot stays even when a post hook fails the job).
            if (result.Restic is { } restic && await repositories.WaitForAsync(job.RepositoryVersion, TimeSpan.Zero, stopping) is { } repository)
            {
                await reports.ReportAsync(job, execution, restic, result.Summary, hostname, repository, stopping);
            }
        }
        finally
        {
            cancellations.Ended(job.JobId);
        }
    }
}
