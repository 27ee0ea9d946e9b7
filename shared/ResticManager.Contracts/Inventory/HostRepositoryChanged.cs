namespace ResticManager.Contracts;

/// <summary>
/// The host's repository binding changed; <see cref="Version"/> grows with every change.
/// <see cref="RepositorySince"/> is the version since which the binding names this same repository
/// (URL): a re-bind that changes only secrets or bandwidth limits keeps it, so a repository
/// initialized at or after it needs no new <c>init</c>, whatever order the changes arrive in. Zero when
/// unknown (publishers that predate the field): every change may then need init.
/// </summary>
public record HostRepositoryChanged(string AgentId, bool Bound, long Version, long RepositorySince = 0);
