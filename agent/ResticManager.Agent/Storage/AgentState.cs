namespace ResticManager.Agent.Storage;

/// <summary>What the agent keeps across restarts in <c>state.json</c>: the last connection sequence number it used.</summary>
internal sealed record AgentState(long ConnectionSeq);
