using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ResticManager.Contracts;

namespace ResticManager.Jobs;

/// <summary>
/// Every job not yet over, with its host, in memory: a progress report (up to one a second per running
/// job) needs its job's host, and a host that connects (10,000 of them in a minute after a restart) needs
/// to know whether it has a queue to move; asking the database each time would cost more than the answer.
/// Filled from the database once, at first use, then by every state change (<see cref="JobEvents.Announce"/>,
/// which every change of a job's status goes through); a final state removes the job and remembers it
/// as ended for a while, so late progress of a finished job costs no query either. A job this process
/// has not seen (another replica created it) is looked up once. Nothing here decides a job's fate: the
/// dispatcher reads the database, and the sweeper moves every waiting queue from the database anyway.
/// </summary>
public sealed class RunningJobHosts(IServiceScopeFactory scopes, TimeProvider clock)
{
    /// <summary>How long at least an ended (or unknown) job is remembered, so its late reports are ignored without a query.</summary>
    static readonly TimeSpan RememberEnded = TimeSpan.FromMinutes(5);

    readonly Dictionary<string, string> hostOfJob = new(StringComparer.Ordinal);
    readonly Dictionary<string, HashSet<string>> jobsOfHost = new(StringComparer.Ordinal);
    // Two generations, the older dropped whole when the newer has been filled for RememberEnded: O(1) forgetting.
    HashSet<string> ended = new(StringComparer.Ordinal);
    HashSet<string> endedBefore = new(StringComparer.Ordinal);
    DateTimeOffset generationStart = clock.GetUtcNow();
    readonly Lock sync = new();
    readonly SemaphoreSlim loading = new(1, 1);
    volatile bool loaded;

    public void Track(Job job)
    {
        lock (sync)
        {
            if (job.IsFinal)
            {
                Forget(job.Id);
                Ended(job.Id);
            }
            else
            {
                ended.Remove(job.Id);
                endedBefore.Remove(job.Id);
                Add(job.Id, job.HostId);
            }
        }
    }

    /// <summary>The host of a job not over, or null for an unknown or finished job.</summary>
    public async Task<string?> HostOfAsync(string jobId, CancellationToken ct)
    {
        await EnsureLoadedAsync(ct);
        lock (sync)
        {
            if (hostOfJob.TryGetValue(jobId, out var hostId))
            {
                return hostId;
            }

            if (IsEnded(jobId))
            {
                return null;
            }
        }

        await using var scope = scopes.CreateAsyncScope();
        var job = await scope.ServiceProvider.GetRequiredService<JobsDbContext>().Jobs.AsNoTracking()
            .Where(j => j.Id == jobId).Select(j => new { j.Id, j.HostId, j.Status }).FirstOrDefaultAsync(ct);
        lock (sync)
        {
            if (job is null || Job.IsFinalStatus(job.Status))
            {
                Ended(jobId);
                return null;
            }

            return hostOfJob.TryAdd(job.Id, job.HostId) ? Added(job.Id, job.HostId) : hostOfJob[job.Id];
        }
    }

    /// <summary>Whether the host has a job not over (queued, sent, running or lost): only then can a dispatch do anything.</summary>
    public async Task<bool> HasUnfinishedJobsAsync(string hostId, CancellationToken ct)
    {
        await EnsureLoadedAsync(ct);
        lock (sync)
        {
            return jobsOfHost.ContainsKey(hostId);
        }
    }

    async Task EnsureLoadedAsync(CancellationToken ct)
    {
        if (loaded)
        {
            return;
        }

        await loading.WaitAsync(ct);
        try
        {
            if (loaded)
            {
                return;
            }

            await using var scope = scopes.CreateAsyncScope();
            var unfinished = await scope.ServiceProvider.GetRequiredService<JobsDbContext>().Jobs.AsNoTracking()
                .Where(j => j.Status == JobStatus.Queued || j.Status == JobStatus.Dispatched
                    || j.Status == JobStatus.Running || j.Status == JobStatus.Lost)
                .Select(j => new { j.Id, j.HostId }).ToListAsync(ct);
            lock (sync)
            {
                // What changed since the query was tracked meanwhile and is newer: an ended job stays ended.
                foreach (var job in unfinished.Where(j => !IsEnded(j.Id) && !hostOfJob.ContainsKey(j.Id)))
                {
                    Add(job.Id, job.HostId);
                }
            }

            loaded = true;
        }
        finally
        {
            loading.Release();
        }
    }

    void Add(string jobId, string hostId)
    {
        if (hostOfJob.TryGetValue(jobId, out var before) && before != hostId)
        {
            Forget(jobId);
        }

        hostOfJob[jobId] = hostId;
        Added(jobId, hostId);
    }

    string Added(string jobId, string hostId)
    {
        if (!jobsOfHost.TryGetValue(hostId, out var jobs))
        {
            jobsOfHost[hostId] = jobs = new HashSet<string>(StringComparer.Ordinal);
        }

        jobs.Add(jobId);
        return hostId;
    }

    void Forget(string jobId)
    {
        if (hostOfJob.Remove(jobId, out var hostId) && jobsOfHost.TryGetValue(hostId, out var jobs) && jobs.Remove(jobId) && jobs.Count == 0)
        {
            jobsOfHost.Remove(hostId);
        }
    }

    bool IsEnded(string jobId) => ended.Contains(jobId) || endedBefore.Contains(jobId);

    void Ended(string jobId)
    {
        var now = clock.GetUtcNow();
        if (now - generationStart > RememberEnded)
        {
            (endedBefore, ended) = (ended, endedBefore);
            ended.Clear();
            generationStart = now;
        }

        ended.Add(jobId);
    }
}
