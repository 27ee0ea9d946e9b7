namespace ResticManager.Schedules;

/// <summary>One fire of a schedule, recorded once (the key is the fire time), with the jobs it asked for.</summary>
public sealed class ScheduleRun
{
    public required string ScheduleId { get; init; }
    public DateTime ScheduledFor { get; init; }
    public DateTime FiredAt { get; init; }
    public string? JobIdsJson { get; set; }
    public string? Error { get; set; }
}
