namespace ResticManager.Schedules;

public sealed class Schedule
{
    public required string Id { get; init; }
    public required string HostId { get; init; }
    public required string Cron { get; set; }
    public required string TimeZone { get; set; }
    public bool Enabled { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>When it was last enabled: a group it covers is not overdue before it had a chance to run.</summary>
    public DateTime? EnabledSince { get; set; }
    public List<ScheduleSourceGroup> SourceGroups { get; set; } = [];
}
