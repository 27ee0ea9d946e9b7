using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using ResticManager.BuildingBlocks;

namespace ResticManager.Schedules;

/// <summary>
/// Keeps Quartz's stored triggers in line with the schedules and maintenance cadences. A trigger is
/// replaced only when its definition changed: rescheduling an unchanged trigger would reset its fire
/// times and lose the misfires of a downtime. Each trigger carries a fingerprint of what it was built
/// from, because Quartz rewrites expressions into its own canonical spelling.
/// </summary>
public sealed class QuartzTriggers(ISchedulerFactory schedulers, IServiceScopeFactory scopes)
{
    readonly KeyedLock<JobKey> keyLock = new();

    public static JobKey ForSchedule(string scheduleId) => new(scheduleId, "schedules");

    public static JobKey ForMaintenance(string hostId, MaintenanceKind kind) => new($"{hostId}/{kind}", "maintenance");

    /// <summary>Fires <typeparamref name="TJob"/> on <paramref name="cron"/>; null removes the job and its triggers.</summary>
    async Task EnsureAsync<TJob>(JobKey key, CronSchedule? cron, CancellationToken ct) where TJob : IJob
    {
        var scheduler = await schedulers.GetScheduler(ct);
        // Hashed: Quartz keeps descriptions in 250 characters, and two expressions with a zone name can be longer.
        var fingerprint = cron is null ? null : Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes($"{string.Join(" | ", cron.QuartzExpressions)} @ {cron.TimeZone.Id}")));
        var existing = await scheduler.GetTriggersOfJob(key, ct);
        if (fingerprint is not null && existing.Count == cron!.QuartzExpressions.Count && existing.All(t => t.Description == fingerprint))
        {
            // A trigger Quartz parked in ERROR would otherwise stay silent until the definition changes.
            var healthy = true;
            foreach (var trigger in existing)
            {
                healthy &= await scheduler.GetTriggerState(trigger.Key, ct) != TriggerState.Error;
            }

            if (healthy)
            {
                return;
            }
        }

        await scheduler.DeleteJob(key, ct);
        if (cron is null)
        {
            return;
        }

        // Recovery: a fire cut short by a crash runs again at start; its job requests are idempotent.
        var job = JobBuilder.Create<TJob>().WithIdentity(key).RequestRecovery().Build();
        var triggers = cron.QuartzExpressions.Select((expression, i) => TriggerBuilder.Create()
            .WithIdentity($"{key.Name}#{i}", key.Group)
            .WithDescription(fingerprint)
            .ForJob(key)
            // Fire times missed while down (longer ago than the misfire threshold) become one run at start.
            .WithCronSchedule(expression, c => c.InTimeZone(cron.TimeZone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
            .Build()).ToList();
        await scheduler.ScheduleJob(job, triggers, new ScheduleJobOptions { Replace = true }, ct);
    }

    /// <summary>
    /// Makes the schedule's triggers match its stored row (none when gone or disabled). Serialised per
    /// schedule and read inside the lock, so of two concurrent changes the last committed one wins.
    /// </summary>
    public Task SyncScheduleAsync(string scheduleId, CancellationToken ct) =>
        SyncAsync<ScheduleFiredJob>(ForSchedule(scheduleId), async db =>
            await db.Schedules.AsNoTracking().FirstOrDefaultAsync(s => s.Id == scheduleId, ct) is { } s ? Enabled(s.Enabled, s.Cron, s.TimeZone) : null, ct);

    public Task SyncMaintenanceAsync(string hostId, MaintenanceKind kind, CancellationToken ct) =>
        SyncAsync<MaintenanceFiredJob>(ForMaintenance(hostId, kind), async db =>
            await db.Maintenance.AsNoTracking().FirstOrDefaultAsync(m => m.HostId == hostId && m.Kind == kind, ct) is { } m ? Enabled(m.Enabled, m.Cron, m.TimeZone) : null, ct);

    async Task SyncAsync<TJob>(JobKey key, Func<SchedulesDbContext, Task<CronSchedule?>> definition, CancellationToken ct) where TJob : IJob
    {
        using (await keyLock.AcquireAsync(key, ct))
        {
            await using var scope = scopes.CreateAsyncScope();
            await EnsureAsync<TJob>(key, await definition(scope.ServiceProvider.GetRequiredService<SchedulesDbContext>()), ct);
        }
    }

    static CronSchedule? Enabled(bool enabled, string cron, string timeZone) =>
        enabled && CronSchedule.TryParse(cron, timeZone, out var schedule, out _) ? schedule : null;
}
