using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Schedules;

public static class MaintenanceEndpoints
{
    public static IEndpointRouteBuilder MapMaintenance(this IEndpointRouteBuilder app)
    {
        var maintenance = app.MapGroup("/api/hosts/{hostId}/maintenance").WithTags("Maintenance").AddEndpointFilter<KnownHostFilter>();
        maintenance.MapGet("/", Get).RequireAuthorization(Policies.Viewer).WithSummary("The host's repository maintenance cadences: forget, prune, check, stats");
        maintenance.MapPut("/", Put).RequireAuthorization(Policies.Operator)
            .WithSummary("Replace the maintenance cadences {forget, prune, check, stats: {cron, timeZone, enabled, readDataSubsetPercent? (check only)}}");
        maintenance.MapPost("/{task}/run", RunNow).RequireAuthorization(Policies.Operator)
            .WithSummary("Run forget (per group), prune, check, stats or unlock now; they queue behind the host's running job");
        return app;
    }

    static async Task<Ok<MaintenanceView>> Get(string hostId, SchedulesDbContext db, TimeProvider clock, CancellationToken ct) =>
        TypedResults.Ok(ToView(await db.Maintenance.AsNoTracking().Where(m => m.HostId == hostId).ToListAsync(ct), clock));

    static async Task<Results<Ok<MaintenanceView>, ValidationProblem, ProblemHttpResult>> Put(
        string hostId, MaintenancePolicy? policy, SchedulesDbContext db, HostDirectory hosts, QuartzTriggers triggers, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors().Require(policy is not null, "body", "a JSON body {forget, prune, check, stats} is required");
        var wanted = new Dictionary<MaintenanceKind, MaintenanceCadence?>
        {
            [MaintenanceKind.Forget] = policy?.Forget, [MaintenanceKind.Prune] = policy?.Prune, [MaintenanceKind.Check] = policy?.Check, [MaintenanceKind.Stats] = policy?.Stats,
        };
        foreach (var (kind, cadence) in wanted.Where(w => w.Value is not null))
        {
            var field = kind.ToString().ToLowerInvariant();
            if (!CronSchedule.TryParse(cadence!.Cron, cadence.TimeZone, out _, out var problem))
            {
                errors.Require(false, problem.StartsWith("unknown time zone", StringComparison.Ordinal) ? $"{field}.timeZone" : $"{field}.cron", problem);
            }

            errors.Require(cadence.ReadDataSubsetPercent is null || kind == MaintenanceKind.Check, $"{field}.readDataSubsetPercent", "applies to check only")
                .Require(cadence.ReadDataSubsetPercent is null or (>= 1 and <= 100), $"{field}.readDataSubsetPercent", "must be between 1 and 100");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (!await hosts.ActiveAsync(hostId, ct))
        {
            return Problems.Conflict($"Host '{hostId}' is revoked: it gets no maintenance.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var existing = await db.Maintenance.Where(m => m.HostId == hostId).ToDictionaryAsync(m => m.Kind, ct);
        foreach (var (kind, cadence) in wanted)
        {
            existing.TryGetValue(kind, out var task);
            if (cadence is null)
            {
                if (task is not null)
                {
                    db.Maintenance.Remove(task);
                }

                continue;
            }

            if (task is null)
            {
                task = new MaintenanceTask { HostId = hostId, Kind = kind, Cron = string.Empty, TimeZone = string.Empty };
                db.Maintenance.Add(task);
                existing[kind] = task;
            }

            task.Cron = cadence.Cron!.Trim();
            task.TimeZone = string.IsNullOrWhiteSpace(cadence.TimeZone) ? "UTC" : cadence.TimeZone.Trim();
            task.Enabled = cadence.Enabled ?? true;
            task.ReadDataSubsetPercent = cadence.ReadDataSubsetPercent;
            task.UpdatedAt = now;
        }

        await db.SaveChangesAsync(ct);
        foreach (var kind in wanted.Keys)
        {
            await triggers.SyncMaintenanceAsync(hostId, kind, ct);
        }

        return TypedResults.Ok(ToView([.. existing.Values.Where(t => wanted[t.Kind] is not null)], clock));
    }

    static async Task<Results<Accepted<MaintenanceRunView>, ValidationProblem, ProblemHttpResult>> RunNow(
        string hostId, string task, ClaimsPrincipal user, MaintenanceLauncher launcher, HostDirectory hosts, CancellationToken ct)
    {
        if (!TryParseTask(task, out var kind))
        {
            return Problems.Invalid("task", "one of forget, prune, check, stats, unlock");
        }

        if (!await hosts.ActiveAsync(hostId, ct))
        {
            return Problems.Conflict($"Host '{hostId}' is revoked: it runs no jobs.");
        }

        var results = await launcher.LaunchAsync(hostId, kind, Ids.New(), user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "unknown", ct);
        if (results.Count > 0 && results.All(r => r.JobId is null))
        {
            return Problems.Conflict(results[0].Problem ?? "The jobs were refused.");
        }

        return TypedResults.Accepted($"/api/jobs?hostId={hostId}", new MaintenanceRunView(
            [.. results.Where(r => r.JobId is not null).Select(r => r.JobId!)], [.. results.Where(r => r.Problem is not null).Select(r => r.Problem!)]));
    }

    /// <summary>A maintenance kind by its name, or unlock (a null kind: it has no cadence of its own).</summary>
    static bool TryParseTask(string task, out MaintenanceKind? kind)
    {
        var name = task.ToLowerInvariant();
        kind = name switch
        {
            "forget" => MaintenanceKind.Forget,
            "prune" => MaintenanceKind.Prune,
            "check" => MaintenanceKind.Check,
            "stats" => MaintenanceKind.Stats,
            _ => null,
        };
        return kind is not null || name == "unlock";
    }

    static MaintenanceView ToView(IReadOnlyCollection<MaintenanceTask> tasks, TimeProvider clock)
    {
        MaintenanceCadenceView? View(MaintenanceKind kind) => tasks.FirstOrDefault(t => t.Kind == kind) is { } t
            ? new MaintenanceCadenceView(t.Cron, t.TimeZone, t.Enabled, t.ReadDataSubsetPercent,
                t.Enabled && CronSchedule.TryParse(t.Cron, t.TimeZone, out var cron, out _) ? cron!.NextFireTimes(clock.GetUtcNow(), 3) : [])
            : null;
        return new MaintenanceView(View(MaintenanceKind.Forget), View(MaintenanceKind.Prune), View(MaintenanceKind.Check), View(MaintenanceKind.Stats));
    }
}
