namespace ResticManager.Contracts;

/// <summary>
/// An agent's presence changed. <see cref="ConnectionSeq"/> orders connections of one agent; an offline
/// supersedes the online of the same connection. Consumers apply it only if it is newer than what
/// they have, so duplicates and reordering change nothing.
/// </summary>
public record AgentPresenceChanged(string AgentId, bool Online, long ConnectionSeq, DateTimeOffset At, string Cause);
