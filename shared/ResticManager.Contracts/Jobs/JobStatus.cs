namespace ResticManager.Contracts;

public enum JobStatus
{
    Queued,
    Dispatched,
    Running,
    Succeeded,
    Warning,
    Failed,
    Cancelled,
    Lost,

    /// <summary>A scheduled run that could not start within <c>Jobs:ScheduledRunMaxAge</c> (host offline or busy): never sent.</summary>
    Missed,
}
