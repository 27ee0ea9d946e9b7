namespace ResticManager.Schedules;

public sealed record ScheduleReference(string Id, string Cron, bool Enabled);
