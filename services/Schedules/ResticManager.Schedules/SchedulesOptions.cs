namespace ResticManager.Schedules;

/// <summary>Configuration section <c>Schedules</c>.</summary>
public sealed class SchedulesOptions
{
    /// <summary>A group is overdue when its last success is older than its expected interval times this.</summary>
    public double OverdueFactor { get; set; } = 1.5;

    /// <summary>How often every scheduled group is judged.</summary>
    public TimeSpan OverdueCheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A fire later than this (the scheduler was down) is a misfire: all the fire times missed are
    /// coalesced into one run at start. A fire less late runs late, at its own fire time.
    /// </summary>
    public TimeSpan MisfireThreshold { get; set; } = TimeSpan.FromMinutes(1);
}
