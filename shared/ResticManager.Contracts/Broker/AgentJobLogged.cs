using ResticManager.Protocol;

namespace ResticManager.Contracts;

/// <summary>Log lines of an agent's job, as the bridge publishes it: the wire record plus the agent it came from. Its owner applies it once by event id and acknowledges it to the agent after the commit.</summary>
public record AgentJobLogged(string AgentId, JobLog Event);
