using Microsoft.EntityFrameworkCore;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;
using ResticManager.Protocol;

namespace ResticManager.Jobs;

/// <summary>
/// The jobs service's own view of each host (<see cref="JobHost"/>), kept from inventory and presence
/// events, and what a change of it means for the host's jobs: a revoked host's queue is cancelled,
/// a newly bound repository gets one <c>init</c> job, and a host back online has its queue moved.
/// </summary>
public sealed class JobHosts(JobsDbContext db, JobDispatcher dispatcher, JobEvents events, JobLiveFeed feed, RunningJobHosts running, JobsWriteGate gate, TimeProvider clock)
{
    public Task EnsureAsync(string hostId, CancellationToken ct) =>
        db.AddIfMissingAsync<JobHost>(h => h.Id == hostId, () => new JobHost { Id = hostId }, ct);

    public async Task RevokeAsync(string hostId, CancellationToken ct)
    {
        await EnsureAsync(hostId, ct);
        var cancelled = await db.InTransactionAsync(async () =>
        {
            await db.Hosts.Where(h => h.Id == hostId).ExecuteUpdateAsync(s => s.SetProperty(h => h.Revoked, true).SetProperty(h => h.Online, false), ct);
            var queued = await db.Jobs.Where(j => j.HostId == hostId && j.Status == JobStatus.Queued).ToListAsync(ct);
            foreach (var job in queued)
            {
                job.Status = JobStatus.Cancelled;
                job.Error = "the host was revoked";
                job.FinishedAt = clock.GetUtcNow().UtcDateTime;
                events.Record(db, job);
            }

            return queued;
        }, ct);
        cancelled.ForEach(events.Announce);
    }

    /// <summary>
    /// A binding change older than the last one applied (bind or unbind) changes nothing. A re-bind of
    /// the same repository (a new limit, a new password) needs no <c>init</c>: a repository initialized
    /// at or after the version since which the binding names it stays initialized under the new
    /// version; one whose init never succeeded still gets one. Judged by that version, not by the last
    /// binding applied, so a re-bind that overtakes the bind of a new repository still gets its init.
    /// </summary>
    public async Task ApplyRepositoryChangeAsync(HostRepositoryChanged change, CancellationToken ct)
    {
        await EnsureAsync(change.AgentId, ct);
        long? version = change.Bound ? change.Version : null;
        var initializedSince = change.Bound && change.RepositorySince > 0 ? change.RepositorySince : long.MaxValue;
        await db.Hosts.Where(h => h.Id == change.AgentId && h.RepositoryChangeVersion < change.Version)
            .ExecuteUpdateAsync(s => s
                .SetProperty(h => h.InitializedVersion, h => h.InitializedVersion >= initializedSince ? change.Version : h.InitializedVersion)
                .SetProperty(h => h.RepositoryVersion, version)
                .SetProperty(h => h.RepositoryChangeVersion, change.Version), ct);
        await AfterChangeAsync(change.AgentId, ct);
    }

    /// <summary>
    /// A fleet connecting at once sends one of these per agent (and a hello each): the common case costs
    /// two reads and, for a newer presence, one conditional update; the queue is moved only for a host
    /// with a job not over (known from memory), since for any other the dispatcher has nothing to do.
    /// </summary>
    public async Task ApplyPresenceAsync(string hostId, bool online, long connectionSeq, CancellationToken ct)
    {
        var version = PresenceVersion.Of(connectionSeq, online);
        var now = clock.GetUtcNow().UtcDateTime;
        async Task<int> UpdateAsync()
        {
            using var turn = await gate.EnterAsync(db, ct);
            var newer = db.Hosts.Where(h => h.Id == hostId && h.PresenceVersion < version);
            return online
                ? await newer.ExecuteUpdateAsync(s => s.SetProperty(h => h.Online, true).SetProperty(h => h.PresenceVersion, version).SetProperty(h => h.OfflineSince, (DateTime?)null), ct)
                : await newer.ExecuteUpdateAsync(s => s.SetProperty(h => h.Online, false).SetProperty(h => h.PresenceVersion, version).SetProperty(h => h.OfflineSince, now), ct);
        }

        // Read before writing: a hello repeats the presence just applied, and an update that changes
        // nothing still takes the database's write lock, which the report batches are waiting for.
        var known = await db.Hosts.AsNoTracking().Where(h => h.Id == hostId).Select(h => (long?)h.PresenceVersion).FirstOrDefaultAsync(ct);
        if (known is null)
        {
            // A host not seen before (its enrollment event may come later): known from now on.
            await EnsureAsync(hostId, ct);
        }

        var changed = known is null || known < version ? await UpdateAsync() : 0;

        if (changed > 0)
        {
            feed.PublishFleet("host", hostId, new HostPresenceView(hostId, online, new DateTimeOffset(now, TimeSpan.Zero)));
        }

        if (online)
        {
            await AfterChangeAsync(hostId, ct);
        }
    }

    async Task AfterChangeAsync(string hostId, CancellationToken ct)
    {
        await EnsureRepositoryInitializedAsync(hostId, ct);
        if (await running.HasUnfinishedJobsAsync(hostId, ct))
        {
            await dispatcher.DispatchAsync(hostId, ct);
        }
    }

    /// <summary>A newly bound repository gets one <c>init</c> job ("already exists" counts as success on the agent).</summary>
    async Task EnsureRepositoryInitializedAsync(string hostId, CancellationToken ct)
    {
        var host = await db.Hosts.AsNoTracking().FirstOrDefaultAsync(h => h.Id == hostId, ct);
        if (host is not { Online: true, Revoked: false, RepositoryVersion: { } version } || host.InitializedVersion >= version || host.InitRequestedVersion >= version)
        {
            return;
        }

        var job = await db.InTransactionAsync<Job?>(async () =>
        {
            var claimed = await db.Hosts.Where(h => h.Id == hostId && h.InitRequestedVersion < version)
                .ExecuteUpdateAsync(s => s.SetProperty(h => h.InitRequestedVersion, version), ct);
            if (claimed != 1)
            {
                return null;
            }

            var init = JobFactory.Create(hostId, JobKind.Init, new JobRequest(null, null, null, null, null), null, "system", clock);
            db.Jobs.Add(init);
            events.Record(db, init);
            return init;
        }, ct);
        if (job is not null)
        {
            events.Announce(job);
        }
    }
}
