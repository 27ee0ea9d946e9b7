using Microsoft.EntityFrameworkCore;
using ResticManager.Contracts;
using ResticManager.Protocol;

namespace ResticManager.Schedules;

/// <summary>
/// Queues a host's repository maintenance. Forget runs once per group that has retention, selecting
/// the group's tag only. Prune and check are preceded by <c>unlock</c>, which removes only stale locks
/// (restic's rule: older than 30 minutes, or of a dead process on the same host); like every job it runs
/// only when no other job of the host is in flight, so it never races a running backup.
/// A check with a read-data percentage reads one rotating slice: with 10 % the repository is read
/// whole over 10 checks. Stats runs <c>restic stats</c>, which keeps the repository's size current.
/// </summary>
public sealed class MaintenanceLauncher(SchedulesDbContext db, JobRequests jobs)
{
    public async Task<IReadOnlyList<JobQueueResult>> LaunchAsync(string hostId, MaintenanceKind? kind, string requestId, string createdBy, CancellationToken ct)
    {
        var requests = new List<QueueJob>();
        switch (kind)
        {
            case MaintenanceKind.Forget:
                var groups = await db.SourceGroups.AsNoTracking().Where(g => g.HostId == hostId && g.RetentionJson != null).OrderBy(g => g.Name).ToListAsync(ct);
                requests.AddRange(groups.Select(g => JobRequests.Forget(g, $"{requestId}:{g.Id}", createdBy)));
                break;
            case MaintenanceKind.Prune:
                requests.Add(JobRequests.Repository(hostId, JobKind.Unlock, null, $"{requestId}:unlock", createdBy));
                requests.Add(JobRequests.Repository(hostId, JobKind.Prune, null, requestId, createdBy));
                break;
            case MaintenanceKind.Check:
                requests.Add(JobRequests.Repository(hostId, JobKind.Unlock, null, $"{requestId}:unlock", createdBy));
                requests.Add(JobRequests.Repository(hostId, JobKind.Check, await NextCheckSliceAsync(hostId, ct), requestId, createdBy));
                break;
            case MaintenanceKind.Stats:
                requests.Add(JobRequests.Repository(hostId, JobKind.Stats, null, requestId, createdBy));
                break;
            case null:
                requests.Add(JobRequests.Repository(hostId, JobKind.Unlock, null, requestId, createdBy));
                break;
        }

        var results = new List<JobQueueResult>();
        foreach (var request in requests)
        {
            results.Add(await jobs.QueueAsync(request, ct));
        }

        return results;
    }

    async Task<JobOptions?> NextCheckSliceAsync(string hostId, CancellationToken ct)
    {
        var task = await db.Maintenance.FirstOrDefaultAsync(m => m.HostId == hostId && m.Kind == MaintenanceKind.Check, ct);
        if (task?.ReadDataSubsetPercent is not { } percent)
        {
            return null;
        }

        var slice = ReadDataSlice.Rotating(percent, task.Runs++);
        await db.SaveChangesAsync(ct);
        return new JobOptions(ReadDataSubset: slice.ToString());
    }
}
