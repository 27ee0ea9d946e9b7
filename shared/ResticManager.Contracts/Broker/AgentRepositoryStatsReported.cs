using ResticManager.Protocol;

namespace ResticManager.Contracts;

/// <summary>An agent reported its repository's stats, as the bridge publishes it: the wire record plus the agent it came from. Its owner applies it once by event id and acknowledges it to the agent after the commit.</summary>
public record AgentRepositoryStatsReported(string AgentId, RepositoryStats Event);
