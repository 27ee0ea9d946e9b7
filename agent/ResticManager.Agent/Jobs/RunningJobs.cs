using Microsoft.Extensions.Logging;
using ResticManager.Agent.Storage;
using ResticManager.Protocol;

namespace ResticManager.Agent.Jobs;

/// <summary>
/// A marker file per accepted job, removed when the job's end is in the outbox: a marker that survives
/// an agent stop means its job was interrupted, and the next start reports it failed, once.
/// </summary>
public sealed class RunningJobs(AgentFiles files, SeenJobs seen, Outbox outbox, TimeProvider time, ILogger<RunningJobs> logger)
{
    // A sequence number no live run reaches, so the report never collides with one of the run's events.
    const long InterruptedEventSeq = 1_000_000_000L;

    string MarkerDirectory => Path.Combine(files.Directory, "running");

    public void Mark(RunJob job)
    {
        Directory.CreateDirectory(MarkerDirectory);
        File.WriteAllText(Path.Combine(MarkerDirectory, job.JobId), job.Kind.ToString());
    }

    public void Clear(string jobId) => File.Delete(Path.Combine(MarkerDirectory, jobId));

    public async Task ReportInterruptedAsync(CancellationToken ct)
    {
        if (!Directory.Exists(MarkerDirectory))
        {
            return;
        }

        foreach (var marker in Directory.GetFiles(MarkerDirectory))
        {
            var jobId = Path.GetFileName(marker);
            seen.TryAdd(jobId);
            await outbox.AddAsync(MessageTypes.JobFinished, new JobFinished($"{jobId}:{InterruptedEventSeq}", jobId, InterruptedEventSeq, JobOutcome.Failed, null,
                "the agent stopped before this job could finish; it did not complete", null, 0, time.GetUtcNow()), ct);
            File.Delete(marker);
            logger.LogWarning("Job {JobId} was interrupted by an agent stop; reported failed", jobId);
        }
    }
}
