using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using ResticManager.Contracts;
using ResticManager.Protocol;
using ResticManager.BuildingBlocks;

namespace ResticManager.Jobs;

/// <summary>
/// The one way a job enters a host's queue, for operators (REST) and for the schedules service (bus):
/// checks the host with the inventory, applies the caller's idempotency key and the coalescing of
/// scheduled runs, stores the job, announces it and moves the queue.
/// </summary>
public sealed class JobIntake(JobsDbContext db, IRequestClient<GetJobTarget> targets, JobDispatcher dispatcher, JobEvents events, JobsWriteGate gate, TimeProvider clock)
{
    public async Task<JobQueueResult> QueueAsync(QueueJob request, CancellationToken ct)
    {
        if (await FindAsync(request, ct) is { } earlier)
        {
            var coalesced = earlier.RequestId != request.RequestId;
            if (coalesced)
            {
                // The waiting run does what the newest fire asks (a group edited meanwhile, a hook removed), if it still waits.
                var newest = JobFactory.Serialize(request.Request);
                await db.Jobs.Where(j => j.Id == earlier.Id && j.Status == JobStatus.Queued && j.RequestJson != newest)
                    .ExecuteUpdateAsync(s => s.SetProperty(j => j.RequestJson, newest), ct);
            }

            return new JobQueueResult(earlier.Id, coalesced, null);
        }

        // Asked of the inventory, which owns hosts and bindings, so a binding made a moment ago counts.
        var target = (await targets.GetResponse<JobTarget>(new GetJobTarget(request.HostId), ct)).Message;
        if (!target.Exists)
        {
            return new JobQueueResult(null, false, $"No host '{request.HostId}'.", HostMissing: true);
        }

        if (target.Revoked)
        {
            return new JobQueueResult(null, false, $"Host '{request.HostId}' is revoked.");
        }

        if (target.RepositoryVersion is null)
        {
            return new JobQueueResult(null, false, $"Host '{request.HostId}' has no repository bound: PUT /api/hosts/{request.HostId}/repository first.");
        }

        await db.AddIfMissingAsync<JobHost>(h => h.Id == request.HostId, () => new JobHost { Id = request.HostId, RepositoryVersion = target.RepositoryVersion }, ct);
        var job = JobFactory.Create(request.HostId, request.Kind, request.Request, request.TimeoutSeconds, request.CreatedBy, clock,
            request.ScheduleId, request.SourceGroupId, request.RequestId);
        db.Jobs.Add(job);
        events.Record(db, job);
        try
        {
            using var turn = await gate.EnterAsync(db, ct);
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The same request applied concurrently (a bus redelivery): its job stands.
            db.ChangeTracker.Clear();
            var concurrent = await FindAsync(request, ct) ?? throw new InvalidOperationException($"Job request '{request.RequestId}' could not be stored.");
            return new JobQueueResult(concurrent.Id, false, null);
        }

        events.Announce(job);
        await dispatcher.DispatchAsync(request.HostId, CancellationToken.None);
        return new JobQueueResult(job.Id, false, null);
    }

    /// <summary>A 404 for a host the inventory does not know, else null: asked before a request's fields are judged.</summary>
    public async Task<ProblemHttpResult?> FindHostProblemAsync(string hostId, CancellationToken ct)
    {
        var target = (await targets.GetResponse<JobTarget>(new GetJobTarget(hostId), ct)).Message;
        return target.Exists ? null : Problems.NotFound($"No host '{hostId}'.");
    }

    /// <summary>The job this request already produced, or the queued run of the same schedule, group and kind it coalesces into.</summary>
    async Task<Job?> FindAsync(QueueJob request, CancellationToken ct)
    {
        var same = await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.RequestId == request.RequestId, ct);
        if (same is not null || !request.CoalesceWithQueued)
        {
            return same;
        }

        return await db.Jobs.AsNoTracking()
            .Where(j => j.HostId == request.HostId && j.Status == JobStatus.Queued && j.Kind == request.Kind
                && j.ScheduleId == request.ScheduleId && j.SourceGroupId == request.SourceGroupId && j.CreatedBy == request.CreatedBy)
            .OrderBy(j => j.Id).FirstOrDefaultAsync(ct);
    }
}
