namespace ResticManager.Contracts;

/// <summary>
/// The host's repository binding changed; <see cref="Version"/> grows with every change.
/// <see cref="NeedsInit"/> is true only when a binding names a repository (URL) the host was not bound
/// to just before: a re-bind that changes only secrets or bandwidth limits needs no <c>init</c>.
/// It defaults to true for publishers that predate the field, which asked for init on every change.
/// </summary>
public record HostRepositoryChanged(string AgentId, bool Bound, long Version, bool NeedsInit = true);
