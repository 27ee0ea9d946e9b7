namespace ResticManager.Protocol;

/// <summary>
/// Server → agent (<c>cmd/job.run</c>, QoS 1). The agent ignores a job id it has seen before and a
/// command past <see cref="ExpiresAt"/> (the server re-dispatches queued jobs when the agent returns).
/// It waits briefly for the configuration of <see cref="RepositoryVersion"/>, which travels separately.
/// <see cref="Admin"/> is the repository access for this one run: admin credentials for forget and prune,
/// or, for a restore with a <see cref="RestoreSpec.SourceHostId"/>, the source host's whole access.
/// </summary>
public sealed record RunJob(
    string JobId,
    JobKind Kind,
    IReadOnlyList<string>? Paths,
    IReadOnlyList<string>? Excludes,
    IReadOnlyList<string>? Tags,
    RetentionPolicy? Retention,
    JobOptions? Options,
    int? TimeoutSeconds,
    DateTimeOffset ExpiresAt,
    long? RepositoryVersion = null,
    JobHooks? Hooks = null,
    RepositoryAccess? Admin = null,
    RestoreSpec? Restore = null);
