using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;

namespace ResticManager.Jobs;

/// <summary>
/// The host of each job not yet over, in memory: a progress report (up to one a second per running job)
/// needs its job's host for the callers' scope, and asking the database each time would cost more than
/// the report. Filled by every state change (<see cref="JobEvents.Announce"/>), emptied by the final one;
/// a job that started before this process did is looked up once.
/// </summary>
public sealed class RunningJobHosts
{
    readonly ConcurrentDictionary<string, string> hosts = new(StringComparer.Ordinal);

    public void Track(Job job)
    {
        if (job.IsFinal)
        {
            hosts.TryRemove(job.Id, out _);
        }
        else
        {
            hosts[job.Id] = job.HostId;
        }
    }

    /// <summary>The host of a job not over, or null for an unknown or finished job.</summary>
    public async Task<string?> HostOfAsync(JobsDbContext db, string jobId, CancellationToken ct)
    {
        if (hosts.TryGetValue(jobId, out var hostId))
        {
            return hostId;
        }

        var job = await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == jobId, ct);
        if (job is null || job.IsFinal)
        {
            return null;
        }

        Track(job);
        return job.HostId;
    }
}
