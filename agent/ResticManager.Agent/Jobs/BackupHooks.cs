using ResticManager.Agent.Hooks;
using ResticManager.Protocol;

namespace ResticManager.Agent.Jobs;

/// <summary>How a backup's pre and post hooks and their failure policies shape the job's result.</summary>
public static class BackupHooks
{
    /// <summary>The pre hook; null when restic may run.</summary>
    public static async Task<JobResult?> BeforeAsync(Hook pre, JobExecution execution, CancellationToken ct)
    {
        HookResult ran;
        try
        {
            ran = await HookRunner.RunAsync("pre-hook", pre, null, execution.Log, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return JobResult.Failed(null, stopped: "the pre hook");
        }

        return ran.Succeeded || pre.OnError == HookFailure.Ignore
            ? null
            : new JobResult(pre.OnError == HookFailure.Cancel ? JobOutcome.Cancelled : JobOutcome.Failed, null, $"the pre hook {ran.Failure}; restic was not run", null);
    }

    /// <summary>The post hook, told the job and restic's outcome; its failure can fail or cancel the job, never restic's own outcome.</summary>
    public static async Task<JobResult> AfterAsync(Hook post, string jobId, JobResult done, JobExecution execution, CancellationToken ct)
    {
        HookResult after;
        try
        {
            after = await HookRunner.RunAsync("post-hook", post, new Dictionary<string, string>
            {
                ["RESTIC_MANAGER_JOB_ID"] = jobId,
                ["RESTIC_MANAGER_OUTCOME"] = done.Outcome.ToString().ToLowerInvariant(),
            }, execution.Log, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return done with { Outcome = JobOutcome.Failed, Stopped = "the post hook" };
        }

        if (after.Succeeded || post.OnError == HookFailure.Ignore)
        {
            return done;
        }

        var postError = $"the post hook {after.Failure}" + (done.Outcome == JobOutcome.Failed ? string.Empty : "; the snapshot stays");
        return done with
        {
            Outcome = post.OnError == HookFailure.Cancel ? JobOutcome.Cancelled : JobOutcome.Failed,
            Error = done.Error is null ? postError : $"{done.Error}; {postError}",
        };
    }
}
