using ResticManager.BuildingBlocks;
using ResticManager.Protocol;

namespace ResticManager.Schedules;

public sealed record SourceGroupView(
    string Id, string HostId, string Name, IReadOnlyList<string> Includes, IReadOnlyList<string> Excludes, string Tag,
    RetentionPolicy? Retention, JobHooks? Hooks, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, BackupStatus Status)
{
    public static SourceGroupView From(SourceGroup g, BackupStatus status) => new(
        g.Id, g.HostId, g.Name, Json.Read<List<string>>(g.IncludesJson) ?? [], Json.Read<List<string>>(g.ExcludesJson) ?? [], g.Tag,
        Json.Read<RetentionPolicy>(g.RetentionJson), Json.Read<JobHooks>(g.HooksJson), g.CreatedAt.AsUtc(), g.UpdatedAt.AsUtc(), status);
}
