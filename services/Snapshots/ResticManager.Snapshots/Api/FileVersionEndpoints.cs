using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;
using ResticManager.Protocol;
using ResticManager.ServiceDefaults;

namespace ResticManager.Snapshots;

/// <summary>Every version of a file across a host's snapshots (restic find on the agent, with its own --host).</summary>
public static class FileVersionEndpoints
{
    public const int MaxPatternLength = 1024;

    public static IEndpointRouteBuilder MapFileVersions(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/hosts/{hostId}/files", Find).RequireAuthorization(Policies.Viewer).Audited().WithTags("Snapshot contents")
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout)
            .WithSummary("Every snapshot of the host that holds a file (path: exact absolute path; pattern: restic's glob), newest first, paged");
        return app;
    }

    static async Task<Results<Ok<Page<FileVersion>>, ValidationProblem, ProblemHttpResult>> Find(
        string hostId, string? path, string? pattern, string? cursor, int? limit,
        SnapshotsDbContext db, AgentQueryClient queries, HttpResponse response, CancellationToken ct)
    {
        if (!await SnapshotContentEndpoints.HostExistsAsync(db, hostId, ct))
        {
            return Problems.NotFound($"No host '{hostId}'.");
        }

        var exact = path is null ? null : SnapshotPaths.Normalize(path);
        var errors = new FieldErrors()
            .Require(path is null || exact is not null, "path", SnapshotPaths.Rule)
            .Require(pattern is null || (pattern.Length is > 0 and <= MaxPatternLength && !pattern.Contains('\0', StringComparison.Ordinal)), "pattern",
                $"must be a glob of 1 to {MaxPatternLength} characters")
            .Cursor(cursor).Limit(limit);
        if (path is null == pattern is null)
        {
            errors.Require(false, path is null ? "path" : "pattern", "give exactly one of path (an exact absolute path) and pattern (a glob)");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        try
        {
            var page = await queries.AskAsync<FilePage>(hostId, MessageTypes.QueryFind,
                expiresAt => new FindQuery(exact, pattern, cursor, BrowseInput.LimitOrDefault(limit), expiresAt), ct);
            return TypedResults.Ok(new Page<FileVersion>(page.Items, page.NextCursor));
        }
        catch (AgentQueryException failed)
        {
            return failed.Failure.ToProblem(response);
        }
    }
}
