using Microsoft.Extensions.Logging;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;

namespace ResticManager.Jobs;

/// <summary>
/// A job's state change reaches two audiences: the bus (<see cref="JobStateChanged"/>, written to
/// the outbox in the change's own transaction, so a publish failing after the commit is retried
/// rather than lost) and the browsers watching live (after the commit, straight from memory).
/// </summary>
public sealed class JobEvents(JobLiveFeed feed, RunningJobHosts running, JobMetrics metrics, TimeProvider clock, ILogger<JobEvents> logger)
{
    /// <summary>Adds the bus event to the outbox; the caller's next save commits it with the change.</summary>
    public void Record(JobsDbContext db, Job job) =>
        db.AddToOutbox(new JobStateChanged(job.Id, job.HostId, job.Kind, job.Status, clock.GetUtcNow(), job.ExitCode, job.Error, job.ScheduleId, job.SourceGroupId));

    /// <summary>Tells live subscribers, once the change is committed; a final state also gets its one log line.</summary>
    public void Announce(Job job)
    {
        var view = JobView.From(job);
        feed.Publish(job.Id, new LiveEvent("state", null, view, Final: job.IsFinal));
        running.Track(job);
        if (job.IsFinal)
        {
            // Progress a slow stream has not read yet would otherwise arrive after the final state.
            feed.EndLiveOnly(job.Id);
        }

        metrics.Record(job);
        feed.PublishFleet("job", job.HostId, view);
        if (job.IsFinal)
        {
            logger.LogInformation(
                "Job {JobId} ({Kind}) on host {HostId} ended {Status}{Exit}{Error}",
                job.Id, job.Kind.ToString().ToLowerInvariant(), job.HostId, job.Status.ToString().ToLowerInvariant(),
                job.ExitCode is { } code ? $", exit code {code}" : "", job.Error is { Length: > 0 } error ? $": {FirstLine(error)}" : "");
        }
    }

    static string FirstLine(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length > 200 ? line[..200] + "…" : line;
    }
}
