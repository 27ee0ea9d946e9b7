using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ResticManager.Agent.Restic;
using ResticManager.Agent.Restore;
using ResticManager.Agent.Storage;
using ResticManager.Protocol;

namespace ResticManager.Agent.Jobs;

/// <summary>
/// One job's work: checks what the job may do here, waits for its repository configuration, runs the
/// pre hook, restic and the post hook, and says how it ended.
/// </summary>
public sealed class JobExecutor(RepositoryStore repositories, ResticProcess restic, RestoreExecutor restores, IOptions<AgentOptions> options, ILogger<JobExecutor> logger)
{
    /// <summary>How long a job waits for the repository configuration it was created against.</summary>
    public TimeSpan ConfigurationWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <param name="ct">Ends with a cancel, the job's timeout or the agent's stop.</param>
    /// <param name="cancelled">A cancel or the agent's stop only: the post hook still runs after restic timed out.</param>
    public async Task<JobResult> ExecuteAsync(RunJob job, JobExecution execution, string hostname, CancellationToken ct, CancellationToken cancelled)
    {
        void Ignoring(string message)
        {
            // Never the values: the access carries secrets.
            logger.LogWarning("Job {JobId} ({Kind}): {Message}", job.JobId, job.Kind, message);
            execution.Log(LogStream.Agent, message);
        }

        JobResult Refused(string message)
        {
            execution.Log(LogStream.Agent, message);
            return JobResult.Failed(message);
        }

        var hooks = job.Hooks is { Pre: not null } or { Post: not null } ? job.Hooks : null;
        if (hooks is not null && !options.Value.AllowHooks)
        {
            return Refused("the job has hooks, and hooks are disabled on this host (Agent:AllowHooks); nothing was run");
        }

        if (job.Kind == JobKind.Restore && !options.Value.AllowRestore)
        {
            return Refused("restores are disabled on this host (Agent:AllowRestore); nothing was restored");
        }

        if (job is { Kind: JobKind.Restore, Restore.SourceHostId: { } sourceHost } && !options.Value.AllowCrossHostRestore)
        {
            return Refused($"restoring another host's snapshot (host {sourceHost}'s) is disabled on this host (Agent:AllowCrossHostRestore); nothing was restored");
        }

        if (hooks is not null && job.Kind != JobKind.Backup)
        {
            Ignoring("hooks ignored: they only run around backups");
            hooks = null;
        }

        var admin = job.Admin;
        var fromOtherHost = job is { Kind: JobKind.Restore, Restore.SourceHostId: not null };
        if (admin is not null && job.Kind is not (JobKind.Forget or JobKind.Prune) && !fromOtherHost)
        {
            Ignoring("separate repository access ignored: only forget, prune and restores of another host's snapshot use it");
            admin = null;
        }

        // Never this host's own repository instead: the snapshot is in another host's.
        if (fromOtherHost && admin is not { Url: not null, Password: not null })
        {
            return Refused($"this restore of host {job.Restore!.SourceHostId}'s snapshot came without that host's repository access (unbound or revoked since?); nothing was restored");
        }

        var repository = await repositories.WaitForAsync(job.RepositoryVersion, ConfigurationWait, ct);
        if (repository is null)
        {
            execution.Log(LogStream.Agent, "no repository configuration has reached this agent");
            return JobResult.Failed("no repository is configured for this host");
        }

        if (job.Kind == JobKind.Restore)
        {
            return await restores.ExecuteAsync(job, fromOtherHost ? ResticInvocation.SourceRepository(repository, admin!) : repository, execution, ct);
        }

        IReadOnlyList<string> arguments;
        try
        {
            arguments = ResticInvocation.JobArguments(job, hostname);
        }
        catch (InvalidOperationException ex)
        {
            return Refused(ex.Message);
        }

        if (hooks?.Pre is { } pre && await BackupHooks.BeforeAsync(pre, execution, ct) is { } stoppedBefore)
        {
            return stoppedBefore;
        }

        execution.Log(LogStream.Agent, "restic " + string.Join(' ', arguments));
        var ran = await restic.RunAsync(arguments, ResticInvocation.WithAccess(repository, admin), execution, job.Kind == JobKind.Backup, ct);
        if (ran.StartError is not null)
        {
            return JobResult.Failed(ran.StartError);
        }

        // restic stopped by a cancel did not end on its own: nothing to report. No post hook after a cancel
        // (it does run after a timeout).
        var done = ResticOutcome.Of(job.Kind, ran);
        if (cancelled.IsCancellationRequested && done.Outcome == JobOutcome.Failed)
        {
            done = done with { Restic = null };
        }

        return hooks?.Post is not { } post || cancelled.IsCancellationRequested
            ? done
            : await BackupHooks.AfterAsync(post, job.JobId, done, execution, cancelled);
    }
}
