using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;
using ResticManager.Protocol;

namespace ResticManager.Jobs;

/// <summary>
/// The queue per host: when a host is online and has no job in flight, its oldest queued job is
/// sent. One job at a time per host: restic serialises repository writers through its locks anyway,
/// and a prune or check next to a backup would only fail on them. Jobs sent on an older connection
/// and not started yet are sent again on the new one (the agent ignores a job id it already has).
/// A job's dispatch and its command are one transaction: the command leaves through the outbox.
/// </summary>
public sealed class JobDispatcher(IServiceScopeFactory scopes, JobEvents events, JobsWriteGate gate, IOptions<JobsOptions> options, TimeProvider clock, ILogger<JobDispatcher> logger)
{
    readonly KeyedLock<string> hostLocks = new(StringComparer.Ordinal);

    public async Task DispatchAsync(string hostId, CancellationToken ct)
    {
        using var hostLock = await hostLocks.AcquireAsync(hostId, ct);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JobsDbContext>();
        var host = await db.Hosts.AsNoTracking().FirstOrDefaultAsync(h => h.Id == hostId, ct);
        if (host is not { Online: true, Revoked: false })
        {
            return;
        }

        // A lost job may still be running on the agent: it holds the host's slot until the agent settles it.
        var inFlight = await db.Jobs.AsNoTracking()
            .Where(j => j.HostId == hostId && (j.Status == JobStatus.Dispatched || j.Status == JobStatus.Running || j.Status == JobStatus.Lost))
            .Select(j => new { j.Id, j.Status, j.StartedAt, j.DispatchedAt, j.DispatchedOnPresence }).ToListAsync(ct);
        if (inFlight.Count > 0)
        {
            // Read first, so a job with nothing to resend (the common case: the sweeper passes every few
            // seconds) costs no write transaction; the transaction checks again.
            foreach (var job in inFlight.Where(j => NeedsResend(j.Status, j.StartedAt, j.DispatchedAt, j.DispatchedOnPresence, host)))
            {
                await ResendIfUnstartedAsync(db, host, job.Id, ct);
            }

            return;
        }

        var next = await db.Jobs.AsNoTracking().Where(j => j.HostId == hostId && j.Status == JobStatus.Queued).OrderBy(j => j.Id).Select(j => j.Id).FirstOrDefaultAsync(ct);
        if (next is null)
        {
            return;
        }

        Job? dispatched;
        using (await gate.EnterAsync(db, ct))
        {
            dispatched = await ClaimAsync(db, host, next, ct);
        }

        if (dispatched is not null)
        {
            events.Announce(dispatched);
        }
    }

    /// <summary>Marks the job sent and writes its command, unless a cancel landed first; the job, or null.</summary>
    Task<Job?> ClaimAsync(JobsDbContext db, JobHost host, string next, CancellationToken ct) =>
        db.InTransactionAsync<Job?>(async () =>
        {
            // Conditional, so a cancel that landed in between wins and the job is not sent.
            var now = clock.GetUtcNow().UtcDateTime;
            var claimed = await db.Jobs.Where(j => j.Id == next && j.Status == JobStatus.Queued)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, JobStatus.Dispatched).SetProperty(j => j.DispatchedAt, now).SetProperty(j => j.DispatchedOnPresence, host.PresenceVersion), ct);
            if (claimed != 1)
            {
                return null;
            }

            var job = await db.Jobs.AsNoTracking().FirstAsync(j => j.Id == next, ct);
            events.Record(db, job);
            Send(db, job, host);
            return job;
        }, ct);

    /// <summary>
    /// A job sent but not started is sent again on a new connection, or when its command may have
    /// expired or been lost; the agent ignores a job id it already has. A job whose cancel was
    /// requested before it started is simply cancelled here instead.
    /// </summary>
    async Task ResendIfUnstartedAsync(JobsDbContext db, JobHost host, string jobId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        // The job to announce when its state changed, else null.
        using var turn = await gate.EnterAsync(db, ct);
        var changed = await db.InTransactionAsync<Job?>(async () =>
        {
            var job = await db.Jobs.FirstAsync(j => j.Id == jobId, ct);
            if (!NeedsResend(job.Status, job.StartedAt, job.DispatchedAt, job.DispatchedOnPresence, host))
            {
                return null;
            }

            if (job.CancelRequested)
            {
                job.Status = JobStatus.Cancelled;
                job.FinishedAt = now;
                job.Error = "cancelled before it started";
                events.Record(db, job);
                return job;
            }

            var wasLost = job.Status == JobStatus.Lost;
            job.Status = JobStatus.Dispatched;
            job.Error = null;
            job.FinishedAt = null;
            job.DispatchedAt = now;
            job.DispatchedOnPresence = host.PresenceVersion;
            if (wasLost)
            {
                events.Record(db, job);
            }

            Send(db, job, host);
            return wasLost ? job : null;
        }, ct);
        if (changed is not null)
        {
            events.Announce(changed);
        }
    }

    /// <summary>Sent and not started, and sent on an older connection, or long enough ago that its command may have expired or been lost, or lost.</summary>
    bool NeedsResend(JobStatus status, DateTime? startedAt, DateTime? dispatchedAt, long dispatchedOnPresence, JobHost host)
    {
        if (startedAt is not null || status is not (JobStatus.Dispatched or JobStatus.Lost))
        {
            return false;
        }

        var newConnection = dispatchedOnPresence < host.PresenceVersion;
        var stale = dispatchedAt is null || clock.GetUtcNow().UtcDateTime - dispatchedAt > options.Value.CommandLifetime;
        return newConnection || stale || status == JobStatus.Lost;
    }

    void Send(JobsDbContext db, Job job, JobHost host)
    {
        var request = JsonSerializer.Deserialize<JobRequest>(job.RequestJson, WireJson.Options)!;
        var command = new RunJob(job.Id, job.Kind, request.Paths, request.Excludes, request.Tags, request.Retention, request.Options,
            job.TimeoutSeconds, clock.GetUtcNow() + options.Value.CommandLifetime, host.RepositoryVersion, request.Hooks, Restore: request.Restore);
        if (job.Kind is JobKind.Forget or JobKind.Prune)
        {
            // Only the inventory holds the repository's admin credentials: it attaches them and sends the command.
            db.AddToOutbox(new SendJobWithAdminAccess(job.HostId, command));
        }
        else if (job.Kind is JobKind.Restore && request.Restore?.SourceHostId is not null)
        {
            // Another host's snapshot: the inventory attaches that host's repository access for this one run.
            db.AddToOutbox(new SendJobWithSourceAccess(job.HostId, command));
        }
        else
        {
            db.AddToOutbox(new SendAgentCommand(job.HostId, MessageTypes.RunJob, WireJson.Serialize(command)));
        }

        logger.LogInformation("Sending job {JobId} ({Kind}) to host {HostId}", job.Id, job.Kind, job.HostId);
    }
}
