using ResticManager.Protocol;

namespace ResticManager.Contracts;

/// <summary>
/// Jobs service → inventory: send this forget/prune command, with the repository's admin credentials
/// attached when the host has them. Only the inventory holds those secrets.
/// </summary>
public record SendJobWithAdminAccess(string AgentId, RunJob Command);
