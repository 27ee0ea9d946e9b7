using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ResticManager.Protocol;

namespace ResticManager.Agent;

/// <summary>
/// Runs the jobs the server sends, one at a time, as restic child processes. Duplicate and expired
/// commands are ignored; cancel and timeouts end the whole restic process tree; restic's exit code
/// decides the outcome (3 on backup = warning: snapshot saved, some files unreadable), and a failing
/// backup hook can change it. A job that was running when the agent stopped is reported failed when
/// it starts again.
/// </summary>
public sealed class JobRunner(
    AgentFiles files, RepositoryStore repositories, Outbox outbox, AgentLink link, IOptions<AgentOptions> options, ILogger<JobRunner> logger)
    : BackgroundService
{
    readonly Channel<RunJob> queue = Channel.CreateUnbounded<RunJob>(new UnboundedChannelOptions { SingleReader = true });
    readonly ConcurrentDictionary<string, CancellationTokenSource> running = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, byte> cancelledBeforeStart = new(StringComparer.Ordinal);
    readonly SeenJobs seen = new(Path.Combine(files.Directory, "jobs-seen.json"));
    readonly object cancelGate = new();
    string RunningDirectory => Path.Combine(files.Directory, "running");

    string CacheDirectory => Path.Combine(files.Directory, "cache");

    /// <summary>How long a job waits for the repository configuration it was created against.</summary>
    public TimeSpan ConfigurationWait { get; set; } = TimeSpan.FromSeconds(30);

    public void Enqueue(RunJob job)
    {
        if (job.ExpiresAt < DateTimeOffset.UtcNow)
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
        Directory.CreateDirectory(RunningDirectory);
        File.WriteAllText(Path.Combine(RunningDirectory, job.JobId), job.Kind.ToString());
        logger.LogInformation("Accepted job {JobId} ({Kind})", job.JobId, job.Kind);
        queue.Writer.TryWrite(job);
    }

    public void Cancel(string jobId)
    {
        lock (cancelGate)
        {
            if (running.TryGetValue(jobId, out var cts))
            {
                logger.LogInformation("Cancelling job {JobId}", jobId);
                cts.Cancel();
            }
            else if (seen.Contains(jobId))
            {
                cancelledBeforeStart[jobId] = 0;
            }
        }
    }

    /// <summary>
    /// Interrupted jobs are reported before the runner counts as started: hosted services start in
    /// order, so no job can be received (and leave its marker) before its predecessors' markers are read.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await ReportInterruptedJobsAsync(cancellationToken);
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
        var config = files.LoadConfig();
        var settings = options.Value;
        var marker = Path.Combine(RunningDirectory, job.JobId);
        await using var execution = new JobExecution(job.JobId, outbox, link);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        bool cancelledEarly;
        lock (cancelGate)
        {
            running[job.JobId] = cancel;
            cancelledEarly = cancelledBeforeStart.TryRemove(job.JobId, out _);
        }

        if (cancelledEarly)
        {
            running.TryRemove(job.JobId, out _);
            await execution.FinishedAsync(JobOutcome.Cancelled, null, "cancelled before it started", null, stopping);
            File.Delete(marker);
            return;
        }

        using var timeout = new CancellationTokenSource();
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
                result = await ExecuteAsync(job, execution, config.Hostname, settings, ended.Token, cancel.Token);
            }
            catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
            {
                // Only waiting for the configuration throws: nothing was running.
                result = new JobResult(JobOutcome.Failed, null, null, null, Stopped: null);
            }
            catch (Exception ex) when (!stopping.IsCancellationRequested)
            {
                // Whatever went wrong, the job must end: a job left running blocks the host's queue.
                logger.LogError(ex, "Job {JobId} failed in the agent", job.JobId);
                result = new JobResult(JobOutcome.Failed, null, $"the agent failed to run the job: {ex.Message}", null);
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
            File.Delete(marker);

            // The job is over as soon as restic and its hooks are; the reports that follow it refresh the
            // catalogue from what restic did (a snapshot stays even when a post hook fails the job), with
            // the host's own repository access.
            if (result.Restic is { } restic && await repositories.WaitForAsync(job.RepositoryVersion, TimeSpan.Zero, stopping) is { } repository)
            {
                await ReportAsync(job, execution, restic, result.Summary, config.Hostname, repository, CacheDirectory, settings, stopping);
            }
        }
        finally
        {
            running.TryRemove(job.JobId, out _);
        }
    }

    /// <summary>
    /// How a job ended. <see cref="Restic"/> is restic's own outcome when it ran to its end (hooks can
    /// change the job's; the reports follow restic's); <see cref="Stopped"/> names what a cancel or
    /// timeout interrupted.
    /// </summary>
    sealed record JobResult(JobOutcome Outcome, int? ExitCode, string? Error, JsonElement? Summary, JobOutcome? Restic = null, string? Stopped = "restic");

    /// <param name="ct">Ends with a cancel, the job's timeout or the agent's stop.</param>
    /// <param name="cancelled">A cancel or the agent's stop only: the post hook still runs after restic timed out.</param>
    async Task<JobResult> ExecuteAsync(
        RunJob job, JobExecution execution, string hostname, AgentOptions settings, CancellationToken ct, CancellationToken cancelled)
    {
        void Ignoring(string message)
        {
            // Never the values: the access carries secrets.
            logger.LogWarning("Job {JobId} ({Kind}): {Message}", job.JobId, job.Kind, message);
            execution.Log(LogStream.Agent, message);
        }

        var hooks = job.Hooks is { Pre: not null } or { Post: not null } ? job.Hooks : null;
        if (hooks is not null && !settings.AllowHooks)
        {
            const string disabled = "the job has hooks, and hooks are disabled on this host (Agent:AllowHooks); nothing was run";
            execution.Log(LogStream.Agent, disabled);
            return new JobResult(JobOutcome.Failed, null, disabled, null);
        }

        if (hooks is not null && job.Kind != JobKind.Backup)
        {
            Ignoring("hooks ignored: they only run around backups");
            hooks = null;
        }

        var admin = job.Admin;
        if (admin is not null && job.Kind is not (JobKind.Forget or JobKind.Prune))
        {
            Ignoring("separate repository access ignored: only forget and prune use it");
            admin = null;
        }

        var repository = await repositories.WaitForAsync(job.RepositoryVersion, ConfigurationWait, ct);
        if (repository is null)
        {
            execution.Log(LogStream.Agent, "no repository configuration has reached this agent");
            return new JobResult(JobOutcome.Failed, null, "no repository is configured for this host", null);
        }

        IReadOnlyList<string> arguments;
        try
        {
            arguments = ResticInvocation.JobArguments(job, hostname);
        }
        catch (InvalidOperationException ex)
        {
            execution.Log(LogStream.Agent, ex.Message);
            return new JobResult(JobOutcome.Failed, null, ex.Message, null);
        }

        if (hooks?.Pre is { } pre)
        {
            HookResult ran;
            try
            {
                ran = await HookRunner.RunAsync("pre-hook", pre, null, execution.Log, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return new JobResult(JobOutcome.Failed, null, null, null, Stopped: "the pre hook");
            }

            if (!ran.Succeeded && pre.OnError != HookFailure.Ignore)
            {
                return new JobResult(pre.OnError == HookFailure.Cancel ? JobOutcome.Cancelled : JobOutcome.Failed, null,
                    $"the pre hook {ran.Failure}; restic was not run", null);
            }
        }

        execution.Log(LogStream.Agent, "restic " + string.Join(' ', arguments));
        var result = await RunResticAsync(settings.ResticPath, arguments, ResticInvocation.WithAccess(repository, admin), CacheDirectory, execution, job.Kind == JobKind.Backup, ct);
        if (result.StartError is not null)
        {
            return new JobResult(JobOutcome.Failed, null, result.StartError, null);
        }

        var outcome = result.ExitCode switch
        {
            0 => JobOutcome.Succeeded,
            3 when job.Kind == JobKind.Backup => JobOutcome.Warning,
            _ when job.Kind == JobKind.Init && result.Stderr.Any(l => l.Contains("config file already exists", StringComparison.Ordinal)) => JobOutcome.Succeeded,
            _ => JobOutcome.Failed,
        };
        var error = outcome == JobOutcome.Failed ? ResticOutput.ErrorMessage(result.Stderr) ?? $"restic exited with code {result.ExitCode}" : null;
        if (outcome == JobOutcome.Warning)
        {
            error = ResticOutput.ErrorMessage(result.Stderr);
        }

        var summary = job.Kind switch
        {
            JobKind.Backup => result.Summary,
            JobKind.Forget => ResticOutput.ForgetSummary(string.Join('\n', result.Stdout)),
            JobKind.Stats => result.Stdout.Select(l => ResticOutput.TryParseLine(l, out var j) ? j : (JsonElement?)null).LastOrDefault(j => j is not null),
            _ => null,
        };

        // restic stopped by a cancel did not end on its own: nothing to report. No post hook after a cancel
        // (it does run after a timeout).
        var done = new JobResult(outcome, result.ExitCode, error, summary, cancelled.IsCancellationRequested && outcome == JobOutcome.Failed ? null : outcome);
        if (hooks?.Post is not { } post || cancelled.IsCancellationRequested)
        {
            return done;
        }

        HookResult after;
        try
        {
            after = await HookRunner.RunAsync("post-hook", post, new Dictionary<string, string>
            {
                ["RESTIC_MANAGER_JOB_ID"] = job.JobId,
                ["RESTIC_MANAGER_OUTCOME"] = outcome.ToString().ToLowerInvariant(),
            }, execution.Log, cancelled);
        }
        catch (OperationCanceledException) when (cancelled.IsCancellationRequested)
        {
            return done with { Outcome = JobOutcome.Failed, Stopped = "the post hook" };
        }

        if (after.Succeeded || post.OnError == HookFailure.Ignore)
        {
            return done;
        }

        var postError = $"the post hook {after.Failure}" + (outcome == JobOutcome.Failed ? string.Empty : "; the snapshot stays");
        return done with
        {
            Outcome = post.OnError == HookFailure.Cancel ? JobOutcome.Cancelled : JobOutcome.Failed,
            Error = error is null ? postError : $"{error}; {postError}",
        };
    }

    /// <summary>
    /// After a job that changed the snapshot list, the host's list; after check, prune or stats, the
    /// repository's health. A failure here is logged by the agent, never turned into a failed job:
    /// the next job catches up.
    /// </summary>
    async Task ReportAsync(RunJob job, JobExecution execution, JobOutcome outcome, JsonElement? summary, string hostname, RepositoryConfig repository, string cache, AgentOptions settings, CancellationToken ct)
    {
        var changedSnapshots = job.Kind is JobKind.Backup or JobKind.Forget or JobKind.Prune && outcome is JobOutcome.Succeeded or JobOutcome.Warning;
        if (changedSnapshots)
        {
            var listed = await RunResticAsync(settings.ResticPath, ResticInvocation.SnapshotsArguments(hostname), repository, cache, null, false, ct);
            if (listed.ExitCode == 0 && ResticOutput.ParseSnapshots(string.Join('\n', listed.Stdout)) is { } snapshots)
            {
                await execution.ReportSnapshotsAsync(snapshots, ct);
            }
            else
            {
                logger.LogWarning("Could not list snapshots after job {JobId}: {Error}", job.JobId, ResticOutput.ErrorMessage(listed.Stderr) ?? listed.StartError);
            }
        }

        if (job.Kind is not (JobKind.Check or JobKind.Prune or JobKind.Stats))
        {
            return;
        }

        JsonElement? stats = job.Kind == JobKind.Stats ? summary : null;
        if (stats is null)
        {
            var measured = await RunResticAsync(settings.ResticPath, ResticInvocation.RepositoryStatsArguments(), repository, cache, null, false, ct);
            stats = measured.ExitCode == 0 ? measured.Stdout.Select(l => ResticOutput.TryParseLine(l, out var j) ? j : (JsonElement?)null).LastOrDefault(j => j is not null) : null;
        }

        var locks = await RunResticAsync(settings.ResticPath, ResticInvocation.ListLocksArguments(), repository, cache, null, false, ct);
        var now = DateTimeOffset.UtcNow;
        await execution.ReportStatsAsync(new RepositoryStats(
            string.Empty, job.JobId, now,
            stats is { } s ? ResticOutput.Long(s, "total_size") : null,
            stats is { } c ? ResticOutput.Long(c, "snapshots_count") : null,
            job.Kind == JobKind.Check ? now : null,
            job.Kind == JobKind.Check ? outcome == JobOutcome.Succeeded : null,
            locks.ExitCode == 0 ? locks.Stdout.Any(l => !string.IsNullOrWhiteSpace(l)) : null), ct);
    }

    sealed record ResticResult(int? ExitCode, List<string> Stdout, List<string> Stderr, JsonElement? Summary, string? StartError);

    /// <summary>
    /// Runs restic to the end, or until <paramref name="ct"/> asks it to stop, which kills its whole
    /// process tree. With an execution, its output goes to the job log and its status lines become progress.
    /// </summary>
    async Task<ResticResult> RunResticAsync(string resticPath, IReadOnlyList<string> arguments, RepositoryConfig repository, string cache, JobExecution? execution, bool progress, CancellationToken ct)
    {
        var stdout = new List<string>();
        var stderr = new List<string>();
        JsonElement? summary = null;
        using var process = new Process { StartInfo = ResticInvocation.StartInfo(resticPath, arguments, repository, cache) };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            var message = $"restic cannot be started at '{resticPath}': {ex.Message}";
            execution?.Log(LogStream.Agent, message);
            return new ResticResult(null, stdout, stderr, null, message);
        }

        process.StandardInput.Close();
        using var kill = ct.Register(() => ProcessTree.Kill(process));

        async Task ReadStdout()
        {
            while (await process.StandardOutput.ReadLineAsync(CancellationToken.None) is { } line)
            {
                if (ResticOutput.TryParseLine(line, out var json))
                {
                    switch (ResticOutput.MessageType(json))
                    {
                        case "status":
                            if (progress && execution is not null)
                            {
                                await execution.ProgressAsync(ResticOutput.ToProgress(execution.JobId, json, DateTimeOffset.UtcNow), CancellationToken.None);
                            }

                            continue;
                        case "summary":
                            summary = json;
                            break;
                    }
                }

                lock (stdout)
                {
                    stdout.Add(line);
                }

                execution?.Log(LogStream.Stdout, line);
            }
        }

        async Task ReadStderr()
        {
            while (await process.StandardError.ReadLineAsync(CancellationToken.None) is { } line)
            {
                lock (stderr)
                {
                    stderr.Add(line);
                }

                execution?.Log(LogStream.Stderr, line);
            }
        }

        await Task.WhenAll(ReadStdout(), ReadStderr());
        await process.WaitForExitAsync(CancellationToken.None);
        return new ResticResult(process.ExitCode, stdout, stderr, summary, null);
    }

    /// <summary>Jobs whose marker survived a stop were interrupted: report them failed, once.</summary>
    async Task ReportInterruptedJobsAsync(CancellationToken ct)
    {
        if (!Directory.Exists(RunningDirectory))
        {
            return;
        }

        foreach (var marker in Directory.GetFiles(RunningDirectory))
        {
            var jobId = Path.GetFileName(marker);
            seen.TryAdd(jobId);
            // A sequence number no live run reaches, so this event never collides with one of the run's.
            var eventSeq = 1_000_000_000L;
            await outbox.AddAsync(MessageTypes.JobFinished, new JobFinished($"{jobId}:{eventSeq}", jobId, eventSeq, JobOutcome.Failed, null,
                "the agent stopped before this job could finish; it did not complete", null, 0, DateTimeOffset.UtcNow), ct);
            File.Delete(marker);
            logger.LogWarning("Job {JobId} was interrupted by an agent stop; reported failed", jobId);
        }
    }

    /// <summary>The last few hundred job ids received, kept on disk so a redelivered command never runs twice.</summary>
    sealed class SeenJobs(string path)
    {
        const int Keep = 500;
        readonly object gate = new();
        List<string>? ids;

        public bool Contains(string jobId)
        {
            lock (gate)
            {
                ids ??= File.Exists(path) ? JsonSerializer.Deserialize<List<string>>(File.ReadAllBytes(path)) ?? [] : [];
                return ids.Contains(jobId, StringComparer.Ordinal);
            }
        }

        public bool TryAdd(string jobId)
        {
            lock (gate)
            {
                ids ??= File.Exists(path) ? JsonSerializer.Deserialize<List<string>>(File.ReadAllBytes(path)) ?? [] : [];
                if (ids.Contains(jobId, StringComparer.Ordinal))
                {
                    return false;
                }

                ids.Add(jobId);
                if (ids.Count > Keep)
                {
                    ids.RemoveRange(0, ids.Count - Keep);
                }

                var temp = path + ".tmp";
                File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(ids));
                File.Move(temp, path, overwrite: true);
                return true;
            }
        }
    }
}
