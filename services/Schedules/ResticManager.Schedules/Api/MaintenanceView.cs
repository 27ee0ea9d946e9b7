namespace ResticManager.Schedules;

public sealed record MaintenanceView(MaintenanceCadenceView? Forget, MaintenanceCadenceView? Prune, MaintenanceCadenceView? Check, MaintenanceCadenceView? Stats);
