using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Snapshots;

public sealed record SnapshotView(
    string Id, string ShortId, DateTimeOffset Time, string Hostname, IReadOnlyList<string> Paths, IReadOnlyList<string> Tags, long? SizeBytes, long? FileCount);

/// <summary><see cref="RefreshedAt"/> says how fresh the list is (null: no report yet), so a UI can show staleness.</summary>
public sealed record HostSnapshots([property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTimeOffset? RefreshedAt, IReadOnlyList<SnapshotView> Snapshots);

public sealed record RepositoryStatsView(
    long? TotalSizeBytes, long? SnapshotCount, DateTimeOffset? LastCheckAt, bool? LastCheckSucceeded, bool? LockPresent, DateTimeOffset? UpdatedAt);

public static class SnapshotEndpoints
{
    public static IEndpointRouteBuilder MapSnapshots(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/hosts/{id}/snapshots", List).RequireAuthorization(Policies.Viewer).WithTags("Snapshots")
            .WithSummary("The host's snapshots as last reported by its agent, newest first");
        app.MapGet("/api/hosts/{id}/repository/stats", Stats).RequireAuthorization(Policies.Viewer).WithTags("Snapshots")
            .WithSummary("Repository size, snapshot count, last check and lock state");
        return app;
    }

    static async Task<Results<Ok<HostSnapshots>, ProblemHttpResult>> List(string id, SnapshotsDbContext db, CancellationToken ct)
    {
        var catalog = await db.Catalogs.AsNoTracking().FirstOrDefaultAsync(c => c.HostId == id, ct);
        if (catalog is null)
        {
            return Problems.NotFound($"No host '{id}'.");
        }

        var rows = await db.Snapshots.AsNoTracking().Where(s => s.HostId == id).OrderByDescending(s => s.Time).ToListAsync(ct);
        return TypedResults.Ok(new HostSnapshots(catalog.RefreshedAt.AsUtc(), rows.Select(s => new SnapshotView(
            s.Id, s.ShortId, s.Time.AsUtc(), s.Hostname,
            JsonSerializer.Deserialize<string[]>(s.PathsJson) ?? [],
            s.TagsJson is null ? [] : JsonSerializer.Deserialize<string[]>(s.TagsJson) ?? [],
            s.SizeBytes, s.FileCount)).ToList()));
    }

    static async Task<Results<Ok<RepositoryStatsView>, ProblemHttpResult>> Stats(string id, SnapshotsDbContext db, CancellationToken ct)
    {
        var c = await db.Catalogs.AsNoTracking().FirstOrDefaultAsync(c => c.HostId == id, ct);
        return c is null
            ? Problems.NotFound($"No host '{id}'.")
            : TypedResults.Ok(new RepositoryStatsView(c.TotalSizeBytes, c.SnapshotCount, c.LastCheckAt.AsUtc(), c.LastCheckSucceeded, c.LockPresent, (c.StatsUpdatedAt ?? c.RefreshedAt).AsUtc()));
    }
}
