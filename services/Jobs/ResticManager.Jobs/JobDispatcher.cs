using System.Collections.Concurrent;
using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ResticManager.Contracts;
using ResticManager.Protocol;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Jobs;

/// <summary>
/// The queue per host: when a host is online and has no job in flight, its oldest queued job is
/// sent. One job at a time per host: restic serialises repository writers through its locks anyway,
/// and a prune or check next to a backup would only fail on them. Jobs sent on an older connection
/// and not started yet are sent again on the new one (the agent ignores a job id it already has).
/// </summary>
public sealed class JobDispatcher(IServiceScopeFactory scopes, IBus bus, JobEvents events, IOptions<JobsOptions> options, TimeProvider clock, ILogger<JobDispatcher> logger)
{
    readonly ConcurrentDictionary<string, SemaphoreSlim> hostLocks = new(StringComparer.Ordinal);

    public async Task DispatchAsync(string hostId, CancellationToken ct)
    {
        var hostLock = hostLocks.GetOrAdd(hostId, _ => new SemaphoreSlim(1, 1));
        await hostLock.WaitAsync(ct);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<JobsDbContext>();
            var host = await db.Hosts.AsNoTracking().FirstOrDefaultAsync(h => h.Id == hostId, ct);
            if (host is not { Online: true, Revoked: false })
            {
                return;
            }

            // A lost job may still be running on the agent: it holds the host's slot until the agent settles it.
            var inFlight = await db.Jobs.Where(j => j.HostId == hostId && (j.Status == JobStatus.Dispatched || j.Status == JobStatus.Running || j.Status == JobStatus.Lost)).ToListAsync(ct);
            if (inFlight.Count > 0)
            {
                await ResendUnstartedAsync(db, host, inFlight, ct);
                return;
            }

            var next = await db.Jobs.AsNoTracking().Where(j => j.HostId == hostId && j.Status == JobStatus.Queued).OrderBy(j => j.Id).FirstOrDefaultAsync(ct);
            if (next is null)
            {
                return;
            }

            // Conditional, so a cancel that landed in between wins and the job is not sent.
            var now = clock.GetUtcNow().UtcDateTime;
            var claimed = await db.Jobs.Where(j => j.Id == next.Id && j.Status == JobStatus.Queued)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, JobStatus.Dispatched).SetProperty(j => j.DispatchedAt, now).SetProperty(j => j.DispatchedOnPresence, host.PresenceVersion), ct);
            if (claimed == 1)
            {
                var dispatched = await db.Jobs.AsNoTracking().FirstAsync(j => j.Id == next.Id, ct);
                await events.StateChangedAsync(dispatched, CancellationToken.None);
                await SendAsync(dispatched, host, CancellationToken.None);
            }
        }
        finally
        {
            hostLock.Release();
        }
    }

    /// <summary>
    /// Jobs sent but not started are sent again on a new connection, or when their command may have
    /// expired or been lost; the agent ignores a job id it already has. A job whose cancel was
    /// requested before it started is simply cancelled here instead.
    /// </summary>
    async Task ResendUnstartedAsync(JobsDbContext db, JobHost host, List<Job> inFlight, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var commandLifetime = options.Value.CommandLifetime;
        foreach (var job in inFlight.Where(j => j.StartedAt is null && j.Status is JobStatus.Dispatched or JobStatus.Lost))
        {
            var newConnection = job.DispatchedOnPresence < host.PresenceVersion;
            var stale = job.DispatchedAt is null || now - job.DispatchedAt > commandLifetime;
            if (!newConnection && !stale && job.Status != JobStatus.Lost)
            {
                continue;
            }

            if (job.CancelRequested)
            {
                job.Status = JobStatus.Cancelled;
                job.FinishedAt = now;
                job.Error = "cancelled before it started";
                await db.SaveChangesAsync(ct);
                await events.StateChangedAsync(job, CancellationToken.None);
                continue;
            }

            var wasLost = job.Status == JobStatus.Lost;
            job.Status = JobStatus.Dispatched;
            job.Error = null;
            job.DispatchedAt = now;
            job.DispatchedOnPresence = host.PresenceVersion;
            await db.SaveChangesAsync(ct);
            if (wasLost)
            {
                await events.StateChangedAsync(job, CancellationToken.None);
            }

            await SendAsync(job, host, CancellationToken.None);
        }
    }

    async Task SendAsync(Job job, JobHost host, CancellationToken ct)
    {
        var request = JsonSerializer.Deserialize<JobRequest>(job.RequestJson, WireJson.Options)!;
        var command = new RunJob(job.Id, job.Kind, request.Paths, request.Excludes, request.Tags, request.Retention, request.Options,
            job.TimeoutSeconds, clock.GetUtcNow() + options.Value.CommandLifetime, host.RepositoryVersion, request.Hooks);
        if (job.Kind is JobKind.Forget or JobKind.Prune)
        {
            // Only the inventory holds the repository's admin credentials: it attaches them and sends the command.
            await bus.Publish(new SendJobWithAdminAccess(job.HostId, command), ct);
        }
        else
        {
            await bus.Publish(new SendAgentCommand(job.HostId, MessageTypes.RunJob, WireJson.Serialize(command)), ct);
        }

        logger.LogInformation("Sent job {JobId} ({Kind}) to host {HostId}", job.Id, job.Kind, job.HostId);
    }
}

/// <summary>Announces job state changes on the bus and to live subscribers.</summary>
public sealed class JobEvents(IBus bus, JobLiveFeed feed, TimeProvider clock)
{
    public async Task StateChangedAsync(Job job, CancellationToken ct)
    {
        var view = JobView.From(job);
        feed.Publish(job.Id, new LiveEvent("state", null, view, Final: job.IsFinal));
        feed.PublishFleet(new LiveEvent("state", null, view));
        await bus.Publish(new JobStateChanged(job.Id, job.HostId, job.Kind, job.Status, clock.GetUtcNow(), job.ExitCode, job.Error, job.ScheduleId, job.SourceGroupId), ct);
    }
}
