namespace ResticManager.Protocol;

/// <summary>One parsed agent-to-server message: exactly one of the payload properties is set.</summary>
public sealed record AgentMessage(string AgentId, string Type)
{
    public AgentStatus? Status { get; init; }
    public Hello? Hello { get; init; }
    public Heartbeat? Heartbeat { get; init; }
    public JobStarted? JobStarted { get; init; }
    public JobLog? JobLog { get; init; }
    public JobFinished? JobFinished { get; init; }
    public JobProgress? JobProgress { get; init; }
    public SnapshotsReport? SnapshotsReport { get; init; }
    public RepositoryStats? RepositoryStats { get; init; }
}
