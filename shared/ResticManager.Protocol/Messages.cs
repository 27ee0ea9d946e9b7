namespace ResticManager.Protocol;

/// <summary>Names of the message types, as they appear as the last topic level.</summary>
public static class MessageTypes
{
    // agent → server, under …/evt/
    public const string Hello = "hello";
    public const string Heartbeat = "heartbeat";
    public const string JobStarted = "job.started";
    public const string JobLog = "job.log";
    public const string JobFinished = "job.finished";
    public const string JobProgress = "job.progress";
    public const string SnapshotsReport = "snapshots.report";
    public const string RepositoryStats = "repo.stats";

    // server → agent, under …/cmd/
    public const string RunJob = "job.run";
    public const string CancelJob = "job.cancel";
    public const string Acknowledge = "ack";
    public const string Config = "config";
}

public enum PresenceState
{
    Online,
    Offline,
}

/// <summary>
/// Retained on <see cref="Topics.Status"/>: online when the agent connects, offline by its Last Will.
/// <see cref="ConnectionSeq"/> grows at every connect, so an offline of an older connection never
/// overrides the online of a newer one, whatever order they arrive in.
/// </summary>
public sealed record AgentStatus(PresenceState State, long ConnectionSeq, DateTimeOffset At);

/// <summary>The agent's first message on every connection.</summary>
public sealed record Hello(
    string EventId,
    int ProtocolVersion,
    long ConnectionSeq,
    string Hostname,
    string Os,
    string Arch,
    string AgentVersion,
    string? ResticVersion,
    int HeartbeatIntervalSeconds,
    DateTimeOffset SentAt);

/// <summary>Liveness plus light metrics; new optional fields may be added without a version bump.</summary>
public sealed record Heartbeat(string EventId, long ConnectionSeq, DateTimeOffset SentAt, long? UptimeSeconds = null);
