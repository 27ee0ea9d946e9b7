using ResticManager.Protocol;

namespace ResticManager.Schedules;

public sealed record SourceGroupRequest(
    string? Name, IReadOnlyList<string>? Includes, IReadOnlyList<string>? Excludes, string? Tag, RetentionPolicy? Retention, JobHooks? Hooks);
