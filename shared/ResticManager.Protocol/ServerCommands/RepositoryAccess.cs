namespace ResticManager.Protocol;

/// <summary>
/// Separate repository access for one forget or prune job (for instance the non-append-only
/// rest-server endpoint). Null fields keep the host's own value. Sent only inside those jobs and
/// never stored by the agent.
/// </summary>
public sealed record RepositoryAccess(string? Url, string? Username, string? Credential, string? Password, IReadOnlyDictionary<string, string>? Env);
