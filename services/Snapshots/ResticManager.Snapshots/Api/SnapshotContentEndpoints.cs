using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;
using ResticManager.Protocol;
using ResticManager.ServiceDefaults;

namespace ResticManager.Snapshots;

/// <summary>
/// Inside one snapshot of a host, asked of its agent (see <see cref="AgentQueryClient"/>): a folder's
/// children, the changes to another snapshot, and a file or folder to download. The host and the
/// snapshot must be in this service's catalogue, so an operator reaches only that host's own snapshots.
/// </summary>
public static class SnapshotContentEndpoints
{
    const string Tag = "Snapshot contents";

    public static IEndpointRouteBuilder MapSnapshotContents(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/hosts/{hostId}/snapshots/{snapshotId}").WithTags(Tag)
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout);
        group.MapGet("/tree", Tree).RequireAuthorization(Policies.Viewer).Audited()
            .WithSummary("The direct children of one folder of the snapshot, folders first, paged (asked of the host's agent, then cached)");
        group.MapGet("/diff/{otherSnapshotId}", Diff).RequireAuthorization(Policies.Viewer).Audited()
            .WithSummary("What changed from this snapshot to another of the same host, paged, with totals of added and removed files, folders and bytes");
        group.MapGet("/download", Download).RequireAuthorization(Policies.Operator).Audited()
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("A file as is, or a folder as .tar (format=zip for .zip), streamed from the host's agent as the client reads it");
        return app;
    }

    static async Task<Results<Ok<TreeListing>, ValidationProblem, ProblemHttpResult>> Tree(
        string hostId, string snapshotId, string? path, string? cursor, int? limit,
        SnapshotsDbContext db, SnapshotTrees trees, HttpResponse response, CancellationToken ct)
    {
        if (!await HostExistsAsync(db, hostId, ct))
        {
            return Problems.NotFound($"No host '{hostId}'.");
        }

        var folder = SnapshotPaths.Normalize(path ?? "/");
        var errors = new FieldErrors().Require(folder is not null, "path", SnapshotPaths.Rule).Cursor(cursor).Limit(limit);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (await FindSnapshotAsync(db, hostId, snapshotId, ct) is not { } snapshot)
        {
            return Problems.NotFound($"Host '{hostId}' has no snapshot '{snapshotId}'.");
        }

        try
        {
            var page = await trees.PageAsync(hostId, snapshot.Id, folder!, cursor, BrowseInput.LimitOrDefault(limit), ct);
            return TypedResults.Ok(new TreeListing(page.Path, page.Items, page.NextCursor));
        }
        catch (AgentQueryException failed)
        {
            return failed.Failure.ToProblem(response);
        }
    }

    static async Task<Results<Ok<DiffListing>, ValidationProblem, ProblemHttpResult>> Diff(
        string hostId, string snapshotId, string otherSnapshotId, string? cursor, int? limit,
        SnapshotsDbContext db, AgentQueryClient queries, HttpResponse response, CancellationToken ct)
    {
        if (!await HostExistsAsync(db, hostId, ct))
        {
            return Problems.NotFound($"No host '{hostId}'.");
        }

        var errors = new FieldErrors().Cursor(cursor).Limit(limit);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var snapshot = await FindSnapshotAsync(db, hostId, snapshotId, ct);
        var other = await FindSnapshotAsync(db, hostId, otherSnapshotId, ct);
        if (snapshot is null || other is null)
        {
            return Problems.NotFound($"Host '{hostId}' has no snapshot '{(snapshot is null ? snapshotId : otherSnapshotId)}'.");
        }

        try
        {
            var page = await queries.AskAsync<DiffPage>(hostId, MessageTypes.QueryDiff,
                expiresAt => new DiffQuery(snapshot.Id, other.Id, cursor, BrowseInput.LimitOrDefault(limit), expiresAt), ct);
            return TypedResults.Ok(new DiffListing(page.Items, page.Added, page.Removed, page.NextCursor));
        }
        catch (AgentQueryException failed)
        {
            return failed.Failure.ToProblem(response);
        }
    }

    static async Task<Results<PushStreamHttpResult, ValidationProblem, ProblemHttpResult>> Download(
        string hostId, string snapshotId, string? path, string? format,
        SnapshotsDbContext db, SnapshotTrees trees, AgentQueryClient queries,
        HttpContext http, ILoggerFactory loggers, CancellationToken ct)
    {
        if (!await HostExistsAsync(db, hostId, ct))
        {
            return Problems.NotFound($"No host '{hostId}'.");
        }

        var target = SnapshotPaths.Normalize(path);
        var errors = new FieldErrors()
            .Require(target is not null, "path", SnapshotPaths.Rule)
            .Require(format is null or "tar" or "zip", "format", "must be tar or zip (how a folder is packed; a file is always sent as is)");
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (await FindSnapshotAsync(db, hostId, snapshotId, ct) is not { } snapshot)
        {
            return Problems.NotFound($"Host '{hostId}' has no snapshot '{snapshotId}'.");
        }

        AgentDownload download;
        TreeEntry? entry = null;
        DumpFormat dumpFormat;
        try
        {
            // The answer's name and type must be known before its first byte, so the node is looked up (and cached) first.
            entry = target == "/" ? null : await trees.EntryAsync(hostId, snapshot.Id, target!, ct);
            if (target != "/" && entry is null)
            {
                return Problems.NotFound($"Snapshot '{snapshot.ShortId}' has no '{target}'.");
            }

            dumpFormat = entry is not null && entry.Type != EntryType.Dir ? DumpFormat.Raw : format == "zip" ? DumpFormat.Zip : DumpFormat.Tar;
            download = await queries.OpenDownloadAsync(hostId, snapshot.Id, target!, dumpFormat, ct);
        }
        catch (AgentQueryException failed)
        {
            return failed.Failure.ToProblem(http.Response);
        }

        http.AuditNote().Detail = $"snapshot {snapshot.Id} as {dumpFormat.ToString().ToLowerInvariant()}";
        var name = SnapshotPaths.Name(target!, snapshot.ShortId);
        var (contentType, fileName) = dumpFormat switch
        {
            DumpFormat.Zip => ("application/zip", name + ".zip"),
            DumpFormat.Tar => ("application/x-tar", name + ".tar"),
            _ => ("application/octet-stream", name),
        };
        var size = dumpFormat == DumpFormat.Raw ? entry?.Size : null;
        return TypedResults.Stream(async body =>
        {
            await using (download)
            {
                try
                {
                    if (size is { } length)
                    {
                        http.Response.ContentLength = length;
                    }

                    await foreach (var chunk in download.ReadAsync(http.RequestAborted))
                    {
                        await body.WriteAsync(chunk, http.RequestAborted);
                    }
                }
                catch (AgentQueryException failed)
                {
                    // The status line is gone already: cut the connection so the client sees a broken transfer, never a short file.
                    loggers.CreateLogger(typeof(SnapshotContentEndpoints)).LogWarning("Download of {Path} from {HostId} snapshot {SnapshotId} failed midway: {Error}",
                        target, hostId, snapshot.ShortId, failed.Message);
                    http.Abort();
                }
            }
        }, contentType, fileName);
    }

    internal static Task<bool> HostExistsAsync(SnapshotsDbContext db, string hostId, CancellationToken ct) =>
        db.Catalogs.AsNoTracking().AnyAsync(c => c.HostId == hostId, ct);

    /// <summary>A snapshot of this host by its full or short id; another host's snapshot is not found.</summary>
    internal static async Task<SnapshotRecord?> FindSnapshotAsync(SnapshotsDbContext db, string hostId, string id, CancellationToken ct) =>
        id.Length is 0 or > 64
            ? null
            : await db.Snapshots.AsNoTracking().Where(s => s.HostId == hostId && (s.Id == id || s.ShortId == id)).OrderByDescending(s => s.Time).FirstOrDefaultAsync(ct);
}
