using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ResticManager.Contracts;
using ResticManager.Protocol;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Schedules;

/// <summary>
/// A source group is overdue when its last successful (or warning) backup is older than its expected
/// interval times <c>Schedules:OverdueFactor</c>. The expected interval is the gap between the two
/// latest fire times of the most frequent enabled schedule covering the group. A group is judged only
/// from the moment it is covered: a new group, or one whose schedule was just enabled, gets one full
/// allowance first. Groups no enabled schedule covers are never overdue.
/// </summary>
public sealed class OverdueRule(IOptions<SchedulesOptions> options, TimeProvider clock)
{
    public async Task<Dictionary<string, BackupStatus>> StatusesAsync(SchedulesDbContext db, IReadOnlyCollection<SourceGroup> groups, CancellationToken ct)
    {
        var ids = groups.Select(g => g.Id).ToList();
        var links = await db.ScheduleSourceGroups.AsNoTracking().Where(l => ids.Contains(l.SourceGroupId)).ToListAsync(ct);
        var scheduleIds = links.Select(l => l.ScheduleId).Distinct().ToList();
        var schedules = await db.Schedules.AsNoTracking().Where(s => s.Enabled && scheduleIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        var now = clock.GetUtcNow();
        return groups.ToDictionary(g => g.Id, g => Evaluate(g, links.Where(l => l.SourceGroupId == g.Id && schedules.ContainsKey(l.ScheduleId)).Select(l => schedules[l.ScheduleId]), now));
    }

    /// <summary>
    /// Each covering schedule gives a due time: one allowance (its interval at its first fire after
    /// the group's last success, or after it became covered, times the factor) from then. The
    /// earliest due time counts. Taking the interval at that fire, not now, keeps a weekday schedule
    /// from going overdue every weekend.
    /// </summary>
    BackupStatus Evaluate(SourceGroup group, IEnumerable<Schedule> covering, DateTimeOffset now)
    {
        TimeSpan? interval = null;
        DateTimeOffset? dueBy = null;
        foreach (var schedule in covering)
        {
            if (!CronSchedule.TryParse(schedule.Cron, schedule.TimeZone, out var cron, out _))
            {
                continue;
            }

            var from = new[] { group.CreatedAt, schedule.EnabledSince ?? schedule.CreatedAt, group.LastSuccessAt ?? DateTime.MinValue }.Max().AsUtc();
            if (cron!.NextFireTimes(from, 1) is not [var expected] || cron.CurrentInterval(expected) is not { } gap)
            {
                continue;
            }

            var due = from + gap * options.Value.OverdueFactor;
            if (dueBy is null || due < dueBy)
            {
                (dueBy, interval) = (due, gap);
            }
        }

        var lastSuccess = group.LastSuccessAt.AsUtc();
        var overdue = now > dueBy;
        return new BackupStatus(overdue, overdue ? dueBy : null, lastSuccess, group.LastSuccessJobId, interval);
    }
}

/// <summary>
/// Keeps <see cref="SourceGroup.OverdueSince"/> current and announces each change on the bus
/// (<see cref="SourceGroupOverdue"/>, <see cref="SourceGroupCaughtUp"/>) for notifications.
/// </summary>
public sealed class OverdueTracker(OverdueRule rule, IPublishEndpoint bus, ILogger<OverdueTracker> logger)
{
    public async Task RefreshAsync(SchedulesDbContext db, IReadOnlyCollection<SourceGroup> groups, CancellationToken ct)
    {
        var statuses = await rule.StatusesAsync(db, groups, ct);
        var announcements = new List<object>();
        foreach (var group in groups)
        {
            var status = statuses[group.Id];
            if (status.Overdue && group.OverdueSince is null)
            {
                group.OverdueSince = status.OverdueSince!.Value.UtcDateTime;
                logger.LogWarning("Source group {Group} of host {HostId} is overdue (last success {LastSuccess})", group.Name, group.HostId, group.LastSuccessAt);
                announcements.Add(new SourceGroupOverdue(group.HostId, group.Id, group.Name, status.LastSuccessAt, status.ExpectedInterval!.Value, status.OverdueSince.Value));
            }
            else if (!status.Overdue && group.OverdueSince is not null)
            {
                group.OverdueSince = null;
                if (group.LastSuccessAt is { } success)
                {
                    announcements.Add(new SourceGroupCaughtUp(group.HostId, group.Id, group.Name, success.AsUtc()));
                }
            }
        }

        await db.SaveChangesAsync(ct);
        foreach (var announcement in announcements)
        {
            await bus.Publish(announcement, ct);
        }
    }
}

/// <summary>Re-judges every scheduled or overdue group each <c>Schedules:OverdueCheckInterval</c>.</summary>
sealed class OverdueMonitor(IServiceScopeFactory scopes, IOptions<SchedulesOptions> options, TimeProvider clock, ILogger<OverdueMonitor> logger)
    : PeriodicWork(scopes, clock, logger)
{
    protected override TimeSpan Interval => options.Value.OverdueCheckInterval;

    protected override async Task RunOnceAsync(IServiceProvider services, CancellationToken ct)
    {
        var db = services.GetRequiredService<SchedulesDbContext>();
        var groups = await db.SourceGroups
            .Where(g => g.OverdueSince != null || db.ScheduleSourceGroups.Any(l => l.SourceGroupId == g.Id && db.Schedules.Any(s => s.Id == l.ScheduleId && s.Enabled)))
            .ToListAsync(ct);
        await services.GetRequiredService<OverdueTracker>().RefreshAsync(db, groups, ct);
    }
}

/// <summary>A group's backup that succeeded (or warned) moves its last success, and may end its overdue state.</summary>
public sealed class GroupBackupConsumer(SchedulesDbContext db, OverdueTracker tracker) : IConsumer<JobStateChanged>
{
    public async Task Consume(ConsumeContext<JobStateChanged> context)
    {
        var change = context.Message;
        if (change is not { Kind: JobKind.Backup, Status: JobStatus.Succeeded or JobStatus.Warning, SourceGroupId: { } groupId })
        {
            return;
        }

        var group = await db.SourceGroups.FirstOrDefaultAsync(g => g.Id == groupId, context.CancellationToken);
        var at = change.At.UtcDateTime;
        // Redeliveries and out-of-order arrivals change nothing: only a newer success moves it.
        if (group is null || group.LastSuccessAt >= at)
        {
            return;
        }

        group.LastSuccessAt = at;
        group.LastSuccessJobId = change.JobId;
        await tracker.RefreshAsync(db, [group], context.CancellationToken);
    }
}
