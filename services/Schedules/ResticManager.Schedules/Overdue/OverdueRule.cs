using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ResticManager.BuildingBlocks;

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
