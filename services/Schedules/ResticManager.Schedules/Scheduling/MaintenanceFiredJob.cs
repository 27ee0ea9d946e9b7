using Microsoft.EntityFrameworkCore;
using Quartz;

namespace ResticManager.Schedules;

/// <summary>A maintenance cadence fired: forget per group, prune, or check.</summary>
public sealed class MaintenanceFiredJob(SchedulesDbContext db, MaintenanceLauncher launcher, QuartzTriggers triggers) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var key = context.JobDetail.Key.Name;
        var separator = key.LastIndexOf('/');
        if (separator < 0 || !Enum.TryParse<MaintenanceKind>(key[(separator + 1)..], out var kind))
        {
            await context.Scheduler.DeleteJob(context.JobDetail.Key, cancellationToken);
            return;
        }

        var hostId = key[..separator];
        if (!await db.Maintenance.AnyAsync(m => m.HostId == hostId && m.Kind == kind && m.Enabled, cancellationToken))
        {
            await triggers.SyncMaintenanceAsync(hostId, kind, cancellationToken);
            return;
        }

        var scheduledFor = context.ScheduledFireTimeUtc ?? context.FireTimeUtc;
        await launcher.LaunchAsync(hostId, kind, $"{key}:{scheduledFor.UtcTicks}", "maintenance", cancellationToken);
    }
}
