namespace ResticManager.Schedules;

public sealed record MaintenanceCadenceView(string Cron, string TimeZone, bool Enabled, int? ReadDataSubsetPercent, IReadOnlyList<DateTimeOffset> NextFireTimes);
