using ResticManager.Protocol;

namespace ResticManager.Contracts;

/// <summary>
/// Jobs service → inventory: send this restore of another host's snapshot
/// (<see cref="RestoreSpec.SourceHostId"/>) with that host's repository access attached for this one
/// run. Only the inventory holds repository secrets; it sends the command without access (and the
/// agent then fails the job) when the source host is revoked or unbound by then.
/// </summary>
public record SendJobWithSourceAccess(string AgentId, RunJob Command);
