using ResticManager.BuildingBlocks;
using ResticManager.Protocol;
using ResticManager.ServiceDefaults;

namespace ResticManager.Schedules;

public sealed record SourceGroupView(
    string Id, string HostId, string Name, IReadOnlyList<string> Includes, IReadOnlyList<string> Excludes, string Tag,
    RetentionPolicy? Retention, JobHooks? Hooks, HookPresence? HookPresence, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, BackupStatus Status)
{
    /// <summary><see cref="Hooks"/> (the commands) only with <paramref name="showHooks"/>, for an admin of the host; <see cref="HookPresence"/> always.</summary>
    public static SourceGroupView From(SourceGroup g, BackupStatus status, bool showHooks)
    {
        var hooks = Json.Read<JobHooks>(g.HooksJson);
        return new(
            g.Id, g.HostId, g.Name, Json.Read<List<string>>(g.IncludesJson) ?? [], Json.Read<List<string>>(g.ExcludesJson) ?? [], g.Tag,
            Json.Read<RetentionPolicy>(g.RetentionJson), showHooks ? hooks : null, ServiceDefaults.HookPresence.Of(hooks), g.CreatedAt.AsUtc(), g.UpdatedAt.AsUtc(), status);
    }
}
