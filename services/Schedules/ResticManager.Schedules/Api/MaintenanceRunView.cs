namespace ResticManager.Schedules;

public sealed record MaintenanceRunView(IReadOnlyList<string> JobIds, IReadOnlyList<string> Problems);
