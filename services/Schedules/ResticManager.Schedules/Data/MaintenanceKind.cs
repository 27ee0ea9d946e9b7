namespace ResticManager.Schedules;

public enum MaintenanceKind
{
    Forget,
    Prune,
    Check,
}
