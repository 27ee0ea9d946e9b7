namespace ResticManager.Schedules;

/// <summary><c>{forget, prune, check, stats}</c>; a missing entry means no such maintenance for the host.</summary>
public sealed record MaintenancePolicy(MaintenanceCadence? Forget, MaintenanceCadence? Prune, MaintenanceCadence? Check, MaintenanceCadence? Stats = null);
