using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ResticManager.Contracts;
using ResticManager.BuildingBlocks;

namespace ResticManager.Jobs;

/// <summary>
/// Periodically marks jobs <c>lost</c> whose host has been offline longer than <c>Jobs:LostAfter</c>
/// (provisional: the agent's replayed job.finished still settles them), scheduled runs still queued
/// after <c>Jobs:ScheduledRunMaxAge</c> <c>missed</c>, and moves every online host's queue, so a
/// missed trigger never leaves a job waiting.
/// </summary>
public sealed class LostAndMissedJobSweeper(IServiceScopeFactory scopes, JobDispatcher dispatcher, JobEvents events, IOptions<JobsOptions> options, TimeProvider clock, ILogger<LostAndMissedJobSweeper> logger)
    : PeriodicWork(scopes, clock, logger)
{
    protected override TimeSpan Interval => options.Value.SweepInterval;

    protected override Task RunOnceAsync(IServiceProvider services, CancellationToken ct) =>
        SweepAsync(services.GetRequiredService<JobsDbContext>(), ct);

    /// <summary>One round: lost jobs, missed scheduled runs, then every waiting queue.</summary>
    public async Task SweepAsync(JobsDbContext db, CancellationToken ct)
    {
        var now = Clock.GetUtcNow().UtcDateTime;

        var lostCutoff = now - options.Value.LostAfter;
        var goneHosts = db.Hosts.Where(h => !h.Online && h.OfflineSince != null && h.OfflineSince < lostCutoff).Select(h => h.Id);
        var lostError = $"the agent has been offline for more than {options.Value.LostAfter}; a later report from it will settle the job";
        // Stamped as ended now, so the dashboard counts it with the failures; a later report or dispatch replaces that.
        await MarkAsync(db, j => (j.Status == JobStatus.Dispatched || j.Status == JobStatus.Running) && goneHosts.Contains(j.HostId),
            j => j.Status == JobStatus.Dispatched || j.Status == JobStatus.Running,
            s => s.SetProperty(j => j.Status, JobStatus.Lost).SetProperty(j => j.FinishedAt, now).SetProperty(j => j.Error, lostError), "is lost", ct);

        var missedCutoff = now - options.Value.ScheduledRunMaxAge;
        var missedError = $"not started within {options.Value.ScheduledRunMaxAge} of its schedule (host offline or busy)";
        await MarkAsync(db, j => j.Status == JobStatus.Queued && j.ScheduleId != null && j.CreatedAt < missedCutoff,
            j => j.Status == JobStatus.Queued,
            s => s.SetProperty(j => j.Status, JobStatus.Missed).SetProperty(j => j.FinishedAt, now).SetProperty(j => j.Error, missedError), "missed its window", ct);

        // Only hosts the dispatcher can send to: a fleet of offline hosts with queued runs costs one query here, not one each.
        var reachable = db.Hosts.Where(h => h.Online && !h.Revoked).Select(h => h.Id);
        var waiting = await db.Jobs.Where(j => j.Status == JobStatus.Queued || (j.Status == JobStatus.Dispatched && j.StartedAt == null))
            .Where(j => reachable.Contains(j.HostId))
            .Select(j => j.HostId).Distinct().ToListAsync(ct);
        foreach (var hostId in waiting)
        {
            await dispatcher.DispatchAsync(hostId, ct);
        }
    }

    /// <summary>
    /// Moves each matching job to a new state, conditionally on its status still being one it may leave
    /// (a job.finished or a dispatch applied in between wins), and announces each change.
    /// </summary>
    async Task MarkAsync(
        JobsDbContext db, Expression<Func<Job, bool>> candidates, Expression<Func<Job, bool>> stillApplies,
        Action<UpdateSettersBuilder<Job>> change, string what, CancellationToken ct)
    {
        var ids = await db.Jobs.Where(candidates).Select(j => j.Id).ToListAsync(ct);
        foreach (var id in ids)
        {
            var job = await db.InTransactionAsync<Job?>(async () =>
            {
                if (await db.Jobs.Where(j => j.Id == id).Where(stillApplies).ExecuteUpdateAsync(change, ct) != 1)
                {
                    return null;
                }

                var marked = await db.Jobs.AsNoTracking().FirstAsync(j => j.Id == id, ct);
                events.Record(db, marked);
                return marked;
            }, ct);
            if (job is not null)
            {
                Logger.LogWarning("Job {JobId} ({Kind}) on host {HostId} {What}", job.Id, job.Kind, job.HostId, what);
                events.Announce(job);
            }
        }
    }
}
