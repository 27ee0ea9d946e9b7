using Microsoft.Extensions.Logging;

namespace ResticManager.Agent.Jobs;

/// <summary>
/// Cancel requests: a running job's token is cancelled; a cancel for a job still queued is remembered
/// until it comes up, so it ends cancelled without running anything.
/// </summary>
public sealed class JobCancellations(SeenJobs seen, ILogger<JobCancellations> logger)
{
    readonly Dictionary<string, CancellationTokenSource> running = new(StringComparer.Ordinal);
    readonly HashSet<string> beforeStart = new(StringComparer.Ordinal);
    readonly object gate = new();

    public void Cancel(string jobId)
    {
        lock (gate)
        {
            if (running.TryGetValue(jobId, out var cancel))
            {
                logger.LogInformation("Cancelling job {JobId}", jobId);
                cancel.Cancel();
            }
            else if (seen.Contains(jobId))
            {
                beforeStart.Add(jobId);
            }
        }
    }

    /// <summary>Makes <paramref name="cancel"/> the job's cancel; false when the job was cancelled before it started.</summary>
    public bool TryStart(string jobId, CancellationTokenSource cancel)
    {
        lock (gate)
        {
            if (beforeStart.Remove(jobId))
            {
                return false;
            }

            running[jobId] = cancel;
            return true;
        }
    }

    public void Ended(string jobId)
    {
        lock (gate)
        {
            running.Remove(jobId);
        }
    }
}
