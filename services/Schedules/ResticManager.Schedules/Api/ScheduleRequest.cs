namespace ResticManager.Schedules;

public sealed record ScheduleRequest(string? Cron, string? TimeZone, bool? Enabled, IReadOnlyList<string>? SourceGroupIds);
