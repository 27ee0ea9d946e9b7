using ResticManager.Protocol;

namespace ResticManager.FleetSimulator;

/// <summary>
/// How a simulated agent runs a job it is sent: started, live progress, log batches spread evenly over
/// <see cref="Duration"/>, finished with <see cref="Outcome"/>. With the defaults a job sends started + 22 log
/// batches + finished = 24 QoS 1 events, the mix issue 14 sizes the fleet with.
/// </summary>
public sealed record JobBehaviour
{
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Live progress (QoS 0, never kept) at this interval while the job runs.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(1);

    public int LogBatches { get; init; } = 22;

    /// <summary>Lines in each log batch, numbered per job from 1 without gaps, as the agent numbers them.</summary>
    public int LogLinesPerBatch { get; init; } = 4;

    public JobOutcome Outcome { get; init; } = JobOutcome.Succeeded;
}
