using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Snapshots;

public static class SnapshotEndpoints
{
    public static IEndpointRouteBuilder MapSnapshots(this IEndpointRouteBuilder app)
    {
        var scoped = app.MapHostScopedGroup<SnapshotsDbContext>();
        scoped.MapGet("/api/hosts/{hostId}/snapshots", List).RequireAuthorization(Policies.Viewer).WithTags("Snapshots")
            .WithSummary("The host's snapshots as last reported by its agent, newest first");
        scoped.MapGet("/api/hosts/{hostId}/repository/stats", Stats).RequireAuthorization(Policies.Viewer).WithTags("Snapshots")
            .WithSummary("Repository size, snapshot count, last check and lock state");
        scoped.MapGet("/api/repository-stats/summary", Totals).RequireAuthorization(Policies.Viewer).WithTags("Snapshots")
            .WithSummary("The summed repository size last reported by the hosts in the caller's scope, and how many reported one (a repository shared by hosts counts once per host)");
        scoped.MapSnapshotContents();
        scoped.MapFileVersions();
        scoped.MapRestores();
        return app;
    }

    static async Task<Results<Ok<HostSnapshots>, ProblemHttpResult>> List(string hostId, SnapshotsDbContext db, CancellationToken ct)
    {
        var catalog = await db.Catalogs.AsNoTracking().FirstOrDefaultAsync(c => c.HostId == hostId, ct);
        if (catalog is null)
        {
            return Problems.NotFound($"No host '{hostId}'.");
        }

        var rows = await db.Snapshots.AsNoTracking().Where(s => s.HostId == hostId).OrderByDescending(s => s.Time).ToListAsync(ct);
        return TypedResults.Ok(new HostSnapshots(catalog.RefreshedAt.AsUtc(), rows.Select(s => new SnapshotView(
            s.Id, s.ShortId, s.Time.AsUtc(), s.Hostname,
            JsonSerializer.Deserialize<string[]>(s.PathsJson) ?? [],
            s.TagsJson is null ? [] : JsonSerializer.Deserialize<string[]>(s.TagsJson) ?? [],
            s.SizeBytes, s.FileCount)).ToList()));
    }

    static async Task<Ok<RepositoryTotals>> Totals(SnapshotsDbContext db, ClaimsPrincipal user, CancellationToken ct)
    {
        var totals = await db.Catalogs.AsNoTracking()
            .WhereHostIn(db, user.HostScope(Roles.Viewer), c => c.HostId)
            .Where(c => c.TotalSizeBytes != null)
            .GroupBy(c => 1)
            .Select(g => new { Bytes = g.Sum(c => c.TotalSizeBytes!.Value), Hosts = g.Count() })
            .FirstOrDefaultAsync(ct);
        return TypedResults.Ok(new RepositoryTotals(totals?.Bytes ?? 0, totals?.Hosts ?? 0));
    }

    static async Task<Results<Ok<RepositoryStatsView>, ProblemHttpResult>> Stats(string hostId, SnapshotsDbContext db, CancellationToken ct)
    {
        var c = await db.Catalogs.AsNoTracking().FirstOrDefaultAsync(c => c.HostId == hostId, ct);
        return c is null
            ? Problems.NotFound($"No host '{hostId}'.")
            : TypedResults.Ok(new RepositoryStatsView(c.TotalSizeBytes, c.SnapshotCount, c.LastCheckAt.AsUtc(), c.LastCheckSucceeded, c.LockPresent, (c.StatsUpdatedAt ?? c.RefreshedAt).AsUtc()));
    }
}
