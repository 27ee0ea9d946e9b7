using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;
using ResticManager.Contracts;
using ResticManager.Protocol;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Schedules;

/// <summary>
/// Keeps Quartz's stored triggers in line with the schedules and maintenance cadences. A trigger is
/// replaced only when its definition changed: rescheduling an unchanged trigger would reset its fire
/// times and lose the misfires of a downtime. Each trigger carries a fingerprint of what it was built
/// from, because Quartz rewrites expressions into its own canonical spelling.
/// </summary>
public sealed class QuartzTriggers(ISchedulerFactory schedulers, IServiceScopeFactory scopes)
{
    readonly System.Collections.Concurrent.ConcurrentDictionary<JobKey, SemaphoreSlim> keyLocks = new();

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
        var keyLock = keyLocks.GetOrAdd(key, _ => new SemaphoreSlim(1, 1));
        await keyLock.WaitAsync(ct);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await EnsureAsync<TJob>(key, await definition(scope.ServiceProvider.GetRequiredService<SchedulesDbContext>()), ct);
        }
        finally
        {
            keyLock.Release();
        }
    }

    static CronSchedule? Enabled(bool enabled, string cron, string timeZone) =>
        enabled && CronSchedule.TryParse(cron, timeZone, out var schedule, out _) ? schedule : null;
}

/// <summary>At start, creates the triggers that are missing (and mends changed ones); never touches matching ones.</summary>
sealed class TriggerReconciler(IServiceScopeFactory scopes, QuartzTriggers triggers, ILogger<TriggerReconciler> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SchedulesDbContext>();
        var schedules = await db.Schedules.AsNoTracking().ToListAsync(cancellationToken);
        foreach (var schedule in schedules)
        {
            await EnsureAsync(() => triggers.SyncScheduleAsync(schedule.Id, cancellationToken), $"schedule {schedule.Id}");
        }

        var tasks = await db.Maintenance.AsNoTracking().ToListAsync(cancellationToken);
        foreach (var task in tasks)
        {
            await EnsureAsync(() => triggers.SyncMaintenanceAsync(task.HostId, task.Kind, cancellationToken), $"{task.Kind} of host {task.HostId}");
        }

        logger.LogInformation("Triggers checked for {Schedules} schedule(s) and {Tasks} maintenance task(s)", schedules.Count, tasks.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>One definition Quartz refuses must not keep the service (and every other schedule) from starting.</summary>
    async Task EnsureAsync(Func<Task> ensure, string what)
    {
        try
        {
            await ensure();
        }
        catch (SchedulerException ex)
        {
            logger.LogError(ex, "The trigger of {What} could not be created; it does not fire until it is saved again", what);
        }
    }
}

/// <summary>
/// A schedule fired: one backup job per source group. The fire is recorded once by its scheduled time;
/// its job requests carry ids derived from it, so a recovered or doubly-triggered fire queues nothing twice.
/// </summary>
public sealed class ScheduleFiredJob(SchedulesDbContext db, JobRequests jobs, QuartzTriggers triggers, TimeProvider clock, ILogger<ScheduleFiredJob> logger) : IJob
{
    const int MaxRefires = 4;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var scheduleId = context.JobDetail.Key.Name;
        var schedule = await db.Schedules.AsNoTracking().Include(s => s.SourceGroups).FirstOrDefaultAsync(s => s.Id == scheduleId, cancellationToken);
        if (schedule is not { Enabled: true } || !CronSchedule.TryParse(schedule.Cron, schedule.TimeZone, out _, out _))
        {
            // Brought in line with the stored definition (not deleted outright: an enable may have just re-created it).
            logger.LogInformation("Schedule {ScheduleId} is gone or disabled; its trigger is removed", scheduleId);
            await triggers.SyncScheduleAsync(scheduleId, cancellationToken);
            return;
        }

        var scheduledFor = context.ScheduledFireTimeUtc ?? context.FireTimeUtc;
        var run = await RecordRunAsync(schedule, scheduledFor, cancellationToken);
        var groupIds = schedule.SourceGroups.Select(l => l.SourceGroupId).ToList();
        var groups = await db.SourceGroups.AsNoTracking().Where(g => groupIds.Contains(g.Id)).OrderBy(g => g.Name).ToListAsync(cancellationToken);
        var jobIds = new List<string>();
        var problems = new List<string>();
        var unreachable = false;
        foreach (var group in groups)
        {
            try
            {
                var result = await jobs.QueueAsync(JobRequests.Backup(group, $"{scheduleId}:{group.Id}:{scheduledFor.UtcTicks}", "schedule", scheduleId), cancellationToken);
                if (result.JobId is { } jobId)
                {
                    jobIds.Add(jobId);
                }
                else
                {
                    problems.Add($"{group.Name}: {result.Problem}");
                }
            }
            catch (MassTransit.RequestException ex)
            {
                // The jobs service did not answer (down, or the bus is): the other groups still get their chance.
                unreachable = true;
                problems.Add($"{group.Name}: the jobs service did not answer ({ex.GetType().Name})");
            }
        }

        run.JobIdsJson = JsonSerializer.Serialize(jobIds);
        var error = string.Join("; ", problems);
        run.Error = problems.Count == 0 ? null : error[..Math.Min(2000, error.Length)];
        await db.SaveChangesAsync(cancellationToken);
        if (problems.Count > 0)
        {
            logger.LogWarning("Schedule {ScheduleId} fired at {ScheduledFor}: {Problems}", scheduleId, scheduledFor, run.Error);
        }

        if (unreachable && context.RefireCount < MaxRefires)
        {
            // Asked again with the same request ids, so only what is missing gets queued; backing off between tries.
            await Task.Delay(TimeSpan.FromSeconds(5 << context.RefireCount), cancellationToken);
            throw new JobExecutionException($"schedule {scheduleId}: the jobs service did not answer") { RefireImmediately = true };
        }
    }

    async Task<ScheduleRun> RecordRunAsync(Schedule schedule, DateTimeOffset scheduledFor, CancellationToken ct)
    {
        var at = scheduledFor.UtcDateTime;
        if (await db.Runs.FirstOrDefaultAsync(r => r.ScheduleId == schedule.Id && r.ScheduledFor == at, ct) is { } recorded)
        {
            return recorded;
        }

        var run = new ScheduleRun { ScheduleId = schedule.Id, ScheduledFor = at, FiredAt = clock.GetUtcNow().UtcDateTime };
        db.Runs.Add(run);
        try
        {
            await db.SaveChangesAsync(ct);
            return run;
        }
        catch (DbUpdateException)
        {
            // The other trigger of a day-of-month-or-week schedule fired at the same instant; any other failure stands.
            db.ChangeTracker.Clear();
            return await db.Runs.FirstOrDefaultAsync(r => r.ScheduleId == schedule.Id && r.ScheduledFor == at, ct) ?? throw new InvalidOperationException(
                $"The fire of schedule {schedule.Id} at {scheduledFor:O} could not be recorded.");
        }
    }
}

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

/// <summary>
/// Queues a host's repository maintenance. Forget runs once per group that has retention, selecting
/// the group's tag only. Prune and check are preceded by <c>unlock</c>, which removes only stale locks
/// (restic's rule: older than 30 minutes, or of a dead process on the same host); like every job it runs
/// only when no other job of the host is in flight, so it never races a running backup.
/// A check with a read-data percentage reads one rotating slice: with 10 % the repository is read
/// whole over 10 checks.
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

/// <summary>A revoked host runs nothing again: its schedules and maintenance are disabled and their triggers removed.</summary>
public sealed class RevokedHostSchedulesConsumer(SchedulesDbContext db, QuartzTriggers triggers, TimeProvider clock) : MassTransit.IConsumer<HostRevoked>
{
    public async Task Consume(MassTransit.ConsumeContext<HostRevoked> context)
    {
        var hostId = context.Message.AgentId;
        var now = clock.GetUtcNow().UtcDateTime;
        var schedules = await db.Schedules.Where(s => s.HostId == hostId && s.Enabled).ToListAsync(context.CancellationToken);
        var tasks = await db.Maintenance.Where(m => m.HostId == hostId && m.Enabled).ToListAsync(context.CancellationToken);
        schedules.ForEach(s => (s.Enabled, s.UpdatedAt) = (false, now));
        tasks.ForEach(t => (t.Enabled, t.UpdatedAt) = (false, now));
        await db.SaveChangesAsync(context.CancellationToken);
        foreach (var schedule in schedules)
        {
            await triggers.SyncScheduleAsync(schedule.Id, context.CancellationToken);
        }

        foreach (var task in tasks)
        {
            await triggers.SyncMaintenanceAsync(task.HostId, task.Kind, context.CancellationToken);
        }
    }
}
