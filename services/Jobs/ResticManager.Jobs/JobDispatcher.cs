using System.Collections.Concurrent;
using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ResticManager.Contracts;
using ResticManager.Protocol;
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

            var inFlight = await db.Jobs.Where(j => j.HostId == hostId && (j.Status == JobStatus.Dispatched || j.Status == JobStatus.Running)).ToListAsync(ct);
            if (inFlight.Count > 0)
            {
                foreach (var job in inFlight.Where(j => j.Status == JobStatus.Dispatched && j.DispatchedOnPresence < host.PresenceVersion))
                {
                    job.DispatchedOnPresence = host.PresenceVersion;
                    await db.SaveChangesAsync(ct);
                    await SendAsync(job, host, ct);
                }

                return;
            }

            var next = await db.Jobs.Where(j => j.HostId == hostId && j.Status == JobStatus.Queued).OrderBy(j => j.Id).FirstOrDefaultAsync(ct);
            if (next is null)
            {
                return;
            }

            next.Status = JobStatus.Dispatched;
            next.DispatchedAt = clock.GetUtcNow().UtcDateTime;
            next.DispatchedOnPresence = host.PresenceVersion;
            await db.SaveChangesAsync(ct);
            await events.StateChangedAsync(next, ct);
            await SendAsync(next, host, ct);
        }
        finally
        {
            hostLock.Release();
        }
    }

    async Task SendAsync(Job job, JobHost host, CancellationToken ct)
    {
        var request = JsonSerializer.Deserialize<JobRequest>(job.RequestJson, WireJson.Options)!;
        var command = new RunJob(job.Id, job.Kind, request.Paths, request.Excludes, request.Tags, request.Retention, request.Options,
            job.TimeoutSeconds, clock.GetUtcNow() + options.Value.CommandLifetime, host.RepositoryVersion);
        await bus.Publish(new SendAgentCommand(job.HostId, MessageTypes.RunJob, WireJson.Serialize(command)), ct);
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
        await bus.Publish(new JobStateChanged(job.Id, job.HostId, job.Kind, job.Status, clock.GetUtcNow(), job.ExitCode, job.Error), ct);
    }
}
