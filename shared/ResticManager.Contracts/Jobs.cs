using ResticManager.Protocol;

namespace ResticManager.Contracts;

// Agent events as the bridge publishes them: the wire record plus the agent it came from. Each is
// applied once by its owner (by event id) and acknowledged to the agent after the commit.

public record AgentJobStarted(string AgentId, JobStarted Event);

public record AgentJobLogged(string AgentId, JobLog Event);

public record AgentJobFinished(string AgentId, JobFinished Event);

public record AgentJobProgressed(string AgentId, JobProgress Event);

public record AgentSnapshotsReported(string AgentId, SnapshotsReport Event);

public record AgentRepositoryStatsReported(string AgentId, RepositoryStats Event);

/// <summary>Deliver a server-to-agent message (QoS 1, never retained) on <c>…/cmd/{MessageType}</c>.</summary>
public record SendAgentCommand(string AgentId, string MessageType, byte[] Payload);

public record HostEnrolled(string AgentId, string Hostname, DateTimeOffset EnrolledAt);

/// <summary>The host's repository binding changed; <see cref="Version"/> grows with every change.</summary>
public record HostRepositoryChanged(string AgentId, bool Bound, long Version);

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

/// <summary>Published by the jobs service at every state change of a job.</summary>
public record JobStateChanged(
    string JobId, string HostId, JobKind Kind, JobStatus Status, DateTimeOffset At, int? ExitCode, string? Error,
    string? ScheduleId = null, string? SourceGroupId = null);

/// <summary>What a job asks restic to do, as stored with the job and sent to the agent.</summary>
public sealed record JobRequest(
    IReadOnlyList<string>? Paths, IReadOnlyList<string>? Excludes, IReadOnlyList<string>? Tags, RetentionPolicy? Retention, JobOptions? Options,
    JobHooks? Hooks = null);

/// <summary>
/// Asks the jobs service to queue a job (request/response, answered with <see cref="JobQueueResult"/>).
/// <see cref="RequestId"/> makes it idempotent: asking again returns the job queued the first time.
/// With <see cref="CoalesceWithQueued"/>, a job of the same schedule and source group still waiting in
/// the host's queue stands for this one too, so an offline host collects one run per group, not one per fire.
/// </summary>
public record QueueJob(
    string RequestId, string HostId, JobKind Kind, JobRequest Request, int? TimeoutSeconds, string CreatedBy,
    string? ScheduleId = null, string? SourceGroupId = null, bool CoalesceWithQueued = false);

/// <summary><see cref="JobId"/> is null when refused; <see cref="Problem"/> then says why (host unknown, revoked or unbound).</summary>
public record JobQueueResult(string? JobId, bool Coalesced, string? Problem, bool HostMissing = false);

/// <summary>
/// Jobs service → inventory: send this forget/prune command, with the repository's admin credentials
/// attached when the host has them. Only the inventory holds those secrets.
/// </summary>
public record SendJobWithAdminAccess(string AgentId, RunJob Command);

/// <summary>A source group's last successful backup is older than its schedules allow.</summary>
public record SourceGroupOverdue(string HostId, string SourceGroupId, string Name, DateTimeOffset? LastSuccessAt, TimeSpan ExpectedInterval, DateTimeOffset DetectedAt);

/// <summary>An overdue source group has a successful backup again.</summary>
public record SourceGroupCaughtUp(string HostId, string SourceGroupId, string Name, DateTimeOffset LastSuccessAt);

/// <summary>Asked by the jobs service before it accepts a job: is the host there, and bound to a repository?</summary>
public record GetJobTarget(string HostId);

public record JobTarget(bool Exists, bool Revoked, string? Hostname, long? RepositoryVersion);
