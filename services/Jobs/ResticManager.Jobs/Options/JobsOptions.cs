namespace ResticManager.Jobs;

/// <summary>Configuration section <c>Jobs</c>.</summary>
public sealed class JobsOptions
{
    /// <summary>A dispatched or running job whose host stays offline this long becomes <c>lost</c> (provisionally).</summary>
    public TimeSpan LostAfter { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often lost jobs are looked for and queues re-checked.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A run command older than this is ignored by the agent; the job is re-sent when it reconnects.</summary>
    public TimeSpan CommandLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A scheduled run still queued after this long (host offline or busy) is recorded as <c>missed</c> instead of run late.</summary>
    public TimeSpan ScheduledRunMaxAge { get; set; } = TimeSpan.FromHours(24);
}
