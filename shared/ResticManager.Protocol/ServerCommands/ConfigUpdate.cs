namespace ResticManager.Protocol;

/// <summary>
/// Server → agent (<c>cmd/config</c>, QoS 1, never retained): the repository this agent backs up to,
/// with its secrets. Null <see cref="Repository"/> means unbound.
/// </summary>
public sealed record ConfigUpdate(long Version, RepositoryConfig? Repository);
