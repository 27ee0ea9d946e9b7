using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using ResticManager.Contracts;
using ResticManager.Protocol;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Schedules;

public sealed record SourceGroupView(
    string Id, string HostId, string Name, IReadOnlyList<string> Includes, IReadOnlyList<string> Excludes, string Tag,
    RetentionPolicy? Retention, JobHooks? Hooks, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, BackupStatus Status)
{
    public static SourceGroupView From(SourceGroup g, BackupStatus status) => new(
        g.Id, g.HostId, g.Name, Json.Read<List<string>>(g.IncludesJson) ?? [], Json.Read<List<string>>(g.ExcludesJson) ?? [], g.Tag,
        Json.Read<RetentionPolicy>(g.RetentionJson), Json.Read<JobHooks>(g.HooksJson), g.CreatedAt.AsUtc(), g.UpdatedAt.AsUtc(), status);
}
