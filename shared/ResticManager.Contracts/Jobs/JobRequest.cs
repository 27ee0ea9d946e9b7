using ResticManager.Protocol;

namespace ResticManager.Contracts;

/// <summary>What a job asks restic to do, as stored with the job and sent to the agent. <see cref="Restore"/> is set for restore jobs only.</summary>
public sealed record JobRequest(
    IReadOnlyList<string>? Paths, IReadOnlyList<string>? Excludes, IReadOnlyList<string>? Tags, RetentionPolicy? Retention, JobOptions? Options,
    JobHooks? Hooks = null, RestoreSpec? Restore = null);
