using System.Security.Claims;
using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;
using ResticManager.Protocol;
using ResticManager.ServiceDefaults;

namespace ResticManager.Snapshots;

/// <summary>
/// Restore requests: checked against this service's own catalogue (the snapshot is the host's, the
/// paths lie within its paths) and the inventory's hosts, then queued as a <c>restore</c> job by the
/// jobs service on the host that writes the files.
/// </summary>
public static class RestoreEndpoints
{
    public static IEndpointRouteBuilder MapRestores(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/hosts/{hostId}/restores", Create).RequireAuthorization(Policies.Operator).WithTags("Snapshots")
            .WithSummary("Restore files of one of the host's snapshots: to their original place, a folder, or another host (operator on that host and admin on this one); a restore job like any other");
        return app;
    }

    static async Task<Results<Accepted<JobCreated>, ValidationProblem, ProblemHttpResult>> Create(
        string hostId, RestoreRequest? request, ClaimsPrincipal user, SnapshotsDbContext db,
        IRequestClient<GetJobTarget> hosts, IRequestClient<QueueJob> jobs, HttpContext http, TimeProvider clock, CancellationToken ct)
    {
        // The host first: an unknown host is a 404 whatever the body says.
        if (!await db.Catalogs.AsNoTracking().AnyAsync(c => c.HostId == hostId, ct))
        {
            return Problems.NotFound($"No host '{hostId}'.");
        }

        var errors = RestoreValidation.Validate(request);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var snapshotId = request!.SnapshotId!;
        var snapshot = await db.Snapshots.AsNoTracking().Where(s => s.HostId == hostId && (s.Id == snapshotId || s.ShortId == snapshotId)).FirstOrDefaultAsync(ct);
        if (snapshot is null)
        {
            return Problems.NotFound($"No snapshot '{snapshotId}' of host '{hostId}'.");
        }

        var snapshotPaths = JsonSerializer.Deserialize<string[]>(snapshot.PathsJson) ?? [];
        if (RestoreValidation.OutsideSnapshot(request.Paths!, snapshotPaths) is { Count: > 0 } outside)
        {
            return Problems.Invalid("paths", $"not within the snapshot's paths ({string.Join(", ", snapshotPaths)}): {string.Join(", ", outside)}");
        }

        var target = request.Target!;
        var runOn = target.Kind == RestoreTargetKind.Host ? target.HostId! : hostId;
        string? sourceHostId = null;
        if (runOn != hostId)
        {
            // It hands one host's repository access to another for a run, as admin credentials do: the source
            // host's admins only. Asked first, so that an operator learns nothing about the other host.
            if (await db.CheckAsync(user, hostId, Roles.Admin, ct) != HostAccess.Allowed)
            {
                return TypedResults.Problem(title: "Forbidden", statusCode: StatusCodes.Status403Forbidden,
                    detail: $"Restoring a snapshot of host '{hostId}' on another host lends that host's repository access to another: only an admin of host '{hostId}' may.");
            }

            // The target runs the job: the operator role on it, and outside the caller's scope it is as unknown as a host nobody enrolled.
            switch (await db.CheckAsync(user, runOn, Roles.Operator, ct))
            {
                case HostAccess.OutOfScope:
                    return Problems.Invalid("target.hostId", $"no host '{runOn}'");
                case HostAccess.RoleTooLow:
                    return HostAccessCheck.Forbidden();
            }

            if (await CrossHostProblemAsync(hostId, runOn, hosts, ct) is { } problem)
            {
                return Problems.Invalid("target.hostId", problem);
            }

            sourceHostId = hostId;
        }

        var spec = new RestoreSpec(snapshot.Id, request.Paths!.Select(RestorePaths.Trim).Distinct(StringComparer.Ordinal).ToList(),
            target.Path is null ? null : RestorePaths.Trim(target.Path), request.Overwrite!.Value, request.Verify ?? false, request.DryRun ?? false, sourceHostId);
        var actorId = user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "unknown";
        var queued = (await jobs.GetResponse<JobQueueResult>(new QueueJob(
            Ids.New(clock), runOn, JobKind.Restore, new JobRequest(spec.Paths, null, null, null, null, Restore: spec), null, actorId), ct)).Message;
        if (queued.JobId is { } jobId)
        {
            var where = spec.TargetPath ?? "the original paths";
            http.AuditNote().Detail = $"job {jobId}: snapshot {snapshot.Id}, {string.Join(", ", spec.Paths)} to {where} on host {runOn}, overwrite {request.Overwrite.Value}{(spec.DryRun ? ", dry run" : string.Empty)}";
        }

        return queued.ToHttpResult();
    }

    /// <summary>
    /// Host A's snapshot restored on host B runs on B with A's repository access, which B never holds
    /// otherwise: B must be enrolled, not revoked and bound (it runs jobs only then), and A must have a
    /// binding to lend (bound, not revoked). Null when both hold, else why not.
    /// </summary>
    static async Task<string?> CrossHostProblemAsync(string sourceId, string targetId, IRequestClient<GetJobTarget> hosts, CancellationToken ct)
    {
        var target = (await hosts.GetResponse<JobTarget>(new GetJobTarget(targetId), ct)).Message;
        if (target switch
            {
                { Exists: false } => $"no host '{targetId}'",
                { Revoked: true } => $"host '{targetId}' is revoked",
                { RepositoryVersion: null } => $"host '{targetId}' has no repository bound: a host runs jobs only once bound",
                _ => null,
            } is { } problem)
        {
            return problem;
        }

        var source = (await hosts.GetResponse<JobTarget>(new GetJobTarget(sourceId), ct)).Message;
        return source is { Exists: true, Revoked: false, RepositoryVersion: not null }
            ? null
            : $"host '{sourceId}' has no repository access to lend to host '{targetId}': it is {(source.Revoked ? "revoked" : "not bound to a repository")}";
    }
}
