using Microsoft.EntityFrameworkCore;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;
using ResticManager.Protocol;

namespace ResticManager.Jobs;

/// <summary>
/// Cancelling a job: a queued one is cancelled here, conditionally (if the dispatcher sent it
/// meanwhile, the agent cancels it); a dispatched, running or lost one is marked and the agent is
/// told, through the outbox, to end restic and report the job cancelled.
/// </summary>
public sealed class JobCancellation(JobsDbContext db, JobEvents events, TimeProvider clock)
{
    public async Task<JobCancellationOutcome> CancelAsync(string jobId, CancellationToken ct)
    {
        var found = await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == jobId, ct);
        if (found is null || found.IsFinal)
        {
            return new JobCancellationOutcome(found, found is not null);
        }

        var (job, cancelledHere) = await db.InTransactionAsync(async () =>
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var cancelled = await db.Jobs.Where(j => j.Id == jobId && j.Status == JobStatus.Queued)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, JobStatus.Cancelled).SetProperty(j => j.FinishedAt, now).SetProperty(j => j.Error, "cancelled before it started"), ct) == 1;
            if (!cancelled)
            {
                await db.Jobs.Where(j => j.Id == jobId).ExecuteUpdateAsync(s => s.SetProperty(j => j.CancelRequested, true), ct);
                db.AddToOutbox(new SendAgentCommand(found.HostId, MessageTypes.CancelJob, WireJson.Serialize(new CancelJob(jobId))));
            }

            var current = await db.Jobs.AsNoTracking().FirstAsync(j => j.Id == jobId, ct);
            if (cancelled)
            {
                events.Record(db, current);
            }

            return (current, cancelled);
        }, ct);
        if (cancelledHere)
        {
            events.Announce(job);
        }

        return new JobCancellationOutcome(job, false);
    }
}
