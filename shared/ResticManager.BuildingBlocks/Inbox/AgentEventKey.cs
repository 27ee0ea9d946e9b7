namespace ResticManager.BuildingBlocks;

/// <summary>An agent event as the inbox knows it: event ids are unique per agent, not across agents.</summary>
public readonly record struct AgentEventKey(string AgentId, string EventId);
