namespace ResticManager.Schedules;

/// <summary>A repository maintenance cadence of a host.</summary>
public sealed class MaintenanceTask
{
    public required string HostId { get; init; }
    public MaintenanceKind Kind { get; init; }
    public required string Cron { get; set; }
    public required string TimeZone { get; set; }
    public bool Enabled { get; set; }
    public int? ReadDataSubsetPercent { get; set; }

    /// <summary>Checks started so far: picks the next slice of a rotating read-data subset.</summary>
    public int Runs { get; set; }
    public DateTime UpdatedAt { get; set; }
}
