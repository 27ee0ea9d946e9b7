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
}

/// <summary>Published by the jobs service at every state change of a job.</summary>
public record JobStateChanged(string JobId, string HostId, JobKind Kind, JobStatus Status, DateTimeOffset At, int? ExitCode, string? Error);

/// <summary>Asked by the jobs service before it accepts a job: is the host there, and bound to a repository?</summary>
public record GetJobTarget(string HostId);

public record JobTarget(bool Exists, bool Revoked, string? Hostname, long? RepositoryVersion);
