namespace ResticManager.Schedules;

public sealed record MaintenanceCadence(string? Cron, string? TimeZone, bool? Enabled, int? ReadDataSubsetPercent = null);
