namespace ResticManager.Schedules;

/// <summary>Stored by name: a new kind needs no migration.</summary>
public enum MaintenanceKind
{
    Forget,
    Prune,
    Check,

    /// <summary><c>restic stats</c>, so the repository's size stays current between checks.</summary>
    Stats,
}
