namespace ResticManager.Protocol;

/// <summary>
/// Retained on <see cref="Topics.Status"/>: online when the agent connects, offline by its Last Will.
/// <see cref="ConnectionSeq"/> grows at every connect, so an offline of an older connection never
/// overrides the online of a newer one, whatever order they arrive in.
/// </summary>
public sealed record AgentStatus(PresenceState State, long ConnectionSeq, DateTimeOffset At);
