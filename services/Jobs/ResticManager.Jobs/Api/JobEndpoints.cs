using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using ResticManager.Contracts;
using ResticManager.Protocol;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Jobs;

public static class JobEndpoints
{
    public static IEndpointRouteBuilder MapJobs(this IEndpointRouteBuilder app)
    {
        var scoped = app.MapHostScopedGroup<JobsDbContext>();
        scoped.MapPost("/api/hosts/{hostId}/jobs", Create).RequireAuthorization(Policies.Operator).WithTags("Jobs")
            .WithSummary("Queue a restic job on a host; it runs when the host is online and its previous job is done");
        scoped.MapGet("/api/events", JobStreams.Events).RequireAuthorization(Policies.Viewer).WithTags("Events")
            .WithSummary("Server-Sent Events: the live events of the hosts in the caller's scope (jobs, progress, presence, snapshots, overdue), resumable with Last-Event-ID, and the log lines of up to 16 watched jobs");
        var jobs = scoped.MapGroup("/api/jobs").WithTags("Jobs");
        jobs.MapJobOverview();
        jobs.MapGet("/", List).RequireAuthorization(Policies.Viewer).WithSummary("Jobs of the hosts in the caller's scope, newest first");
        jobs.MapGet("/events", JobStreams.Fleet).RequireAuthorization(Policies.Viewer).WithSummary("Server-Sent Events: the state changes of every job of the hosts in the caller's scope");
        jobs.MapGet("/{jobId}", Get).RequireAuthorization(Policies.Viewer).AddEndpointFilter(new JobScopeFilter(Roles.Viewer))
            .WithSummary("One job, with exit code, error and summary");
        jobs.MapGet("/{jobId}/log", Log).RequireAuthorization(Policies.Viewer).AddEndpointFilter(new JobScopeFilter(Roles.Viewer))
            .WithSummary("The job's log lines after a line number");
        jobs.MapGet("/{jobId}/events", JobStreams.OneJob).RequireAuthorization(Policies.Viewer).AddEndpointFilter(new JobScopeFilter(Roles.Viewer))
            .WithSummary("Server-Sent Events: the current state, then progress, log lines (id = line number) and the final state");
        jobs.MapPost("/{jobId}/cancel", Cancel).RequireAuthorization(Policies.Operator).AddEndpointFilter(new JobScopeFilter(Roles.Operator))
            .WithSummary("Cancel a queued or running job");
        return app;
    }

    static async Task<Results<Accepted<JobCreated>, ValidationProblem, ProblemHttpResult>> Create(
        string hostId, CreateJobRequest? request, ClaimsPrincipal user, JobIntake intake, CancellationToken ct)
    {
        // The host first: an unknown host is a 404 whatever the body says.
        if (await intake.FindHostProblemAsync(hostId, ct) is { } unknown)
        {
            return unknown;
        }

        var errors = JobValidation.Validate(request);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var result = await intake.QueueAsync(new QueueJob(
            Ids.New(), hostId, request!.Kind!.Value,
            new JobRequest(request.Paths, request.Excludes, request.Tags, request.Retention, request.Options),
            request.TimeoutSeconds, user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "unknown"), ct);
        return result.ToHttpResult();
    }

    static async Task<Results<Ok<Page<JobView>>, ValidationProblem>> List(
        JobsDbContext db, ClaimsPrincipal user, string? hostId, QueryEnum<JobStatus>? status, QueryEnum<JobKind>? kind, string? scheduleId, string? cursor, int? limit,
        CancellationToken ct)
    {
        var take = Paging.ClampLimit(limit);
        var query = db.Jobs.AsNoTracking().WhereHostIn(db, user.HostScope(Roles.Viewer), j => j.HostId);
        if (!string.IsNullOrEmpty(hostId))
        {
            query = query.Where(j => j.HostId == hostId);
        }

        if (status?.Value is { } wanted)
        {
            query = query.Where(j => j.Status == wanted);
        }

        // The host page charts its backups (and stats runs) without paging through every other job.
        if (kind?.Value is { } wantedKind)
        {
            query = query.Where(j => j.Kind == wantedKind);
        }

        if (!string.IsNullOrEmpty(scheduleId))
        {
            query = query.Where(j => j.ScheduleId == scheduleId);
        }

        if (!string.IsNullOrEmpty(cursor))
        {
            query = query.Where(j => string.Compare(j.Id, cursor) < 0);
        }

        var rows = await query.OrderByDescending(j => j.Id).Take(take + 1).ToListAsync(ct);
        var admin = await db.HoldsRoleOnAsync(user, rows.Select(j => j.HostId), Roles.Admin, ct);
        return TypedResults.Ok(Paging.ToPage(rows, take, j => j.Id, j => JobView.From(j).HidingHooks(!admin(j.HostId))));
    }

    static async Task<Results<Ok<JobView>, ProblemHttpResult>> Get(string jobId, ClaimsPrincipal user, JobsDbContext db, CancellationToken ct)
    {
        var job = await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == jobId, ct);
        return job is null ? Problems.NotFound($"No job '{jobId}'.") : TypedResults.Ok(JobView.From(job).HidingHooks(!await IsHostAdminAsync(db, user, job.HostId, ct)));
    }

    /// <summary>Hook commands are shown to who may set them: an admin of the job's host.</summary>
    internal static async Task<bool> IsHostAdminAsync(JobsDbContext db, ClaimsPrincipal user, string hostId, CancellationToken ct) =>
        await db.CheckAsync(user, hostId, Roles.Admin, ct) == HostAccess.Allowed;

    static async Task<Results<Ok<Page<LogLineView>>, ProblemHttpResult>> Log(string jobId, long? afterSeq, int? limit, JobsDbContext db, CancellationToken ct)
    {
        if (!await db.Jobs.AnyAsync(j => j.Id == jobId, ct))
        {
            return Problems.NotFound($"No job '{jobId}'.");
        }

        var take = Paging.ClampLimit(limit ?? Paging.MaxLimit);
        var after = afterSeq ?? 0;
        var rows = await db.LogLines.AsNoTracking().Where(l => l.JobId == jobId && l.N > after).OrderBy(l => l.N).Take(take + 1).ToListAsync(ct);
        return TypedResults.Ok(Paging.ToPage(rows, take, l => l.N.ToString(System.Globalization.CultureInfo.InvariantCulture), LogLineView.From));
    }

    static async Task<Results<Accepted<JobView>, ProblemHttpResult>> Cancel(
        string jobId, ClaimsPrincipal user, JobsDbContext db, JobCancellation cancellation, CancellationToken ct) =>
        await cancellation.CancelAsync(jobId, ct) switch
        {
            { Job: null } => Problems.NotFound($"No job '{jobId}'."),
            { AlreadyOver: true, Job: var over } => Problems.Conflict($"Job '{jobId}' has already ended ({over.Status.ToString().ToLowerInvariant()})."),
            { Job: var job } => TypedResults.Accepted($"/api/jobs/{jobId}", JobView.From(job).HidingHooks(!await IsHostAdminAsync(db, user, job.HostId, ct))),
        };
}
