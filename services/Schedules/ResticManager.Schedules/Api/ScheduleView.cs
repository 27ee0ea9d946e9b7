using ResticManager.BuildingBlocks;

namespace ResticManager.Schedules;

public sealed record ScheduleView(
    string Id, string HostId, string Cron, string TimeZone, bool Enabled, IReadOnlyList<string> SourceGroupIds,
    IReadOnlyList<string> QuartzExpressions, IReadOnlyList<DateTimeOffset> NextFireTimes, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static ScheduleView From(Schedule s, TimeProvider clock)
    {
        var cron = CronSchedule.TryParse(s.Cron, s.TimeZone, out var parsed, out _) ? parsed : null;
        return new(s.Id, s.HostId, s.Cron, s.TimeZone, s.Enabled, [.. s.SourceGroups.Select(l => l.SourceGroupId).Order(StringComparer.Ordinal)],
            cron?.QuartzExpressions ?? [], s.Enabled && cron is not null ? cron.NextFireTimes(clock.GetUtcNow(), 5) : [],
            s.CreatedAt.AsUtc(), s.UpdatedAt.AsUtc());
    }
}
