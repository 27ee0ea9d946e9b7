using ResticManager.Protocol;

namespace ResticManager.Contracts;

/// <summary>Live progress of an agent's job, as the bridge publishes it; only shown live, never stored or acknowledged.</summary>
public record AgentJobProgressed(string AgentId, JobProgress Event);
