using ResticManager.Protocol;

namespace ResticManager.Contracts;

/// <summary>
/// Asks the jobs service to queue a job (request/response, answered with <see cref="JobQueueResult"/>).
/// <see cref="RequestId"/> makes it idempotent: asking again returns the job queued the first time.
/// With <see cref="CoalesceWithQueued"/>, a job of the same schedule and source group still waiting in
/// the host's queue stands for this one too, so an offline host collects one run per group, not one per fire.
/// </summary>
public record QueueJob(
    string RequestId, string HostId, JobKind Kind, JobRequest Request, int? TimeoutSeconds, string CreatedBy,
    string? ScheduleId = null, string? SourceGroupId = null, bool CoalesceWithQueued = false);
