using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Quartz;

namespace ResticManager.Schedules;

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
