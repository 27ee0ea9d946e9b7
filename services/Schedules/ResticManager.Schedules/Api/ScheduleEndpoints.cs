using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Schedules;

public static class ScheduleEndpoints
{
    public static IEndpointRouteBuilder MapScheduleEndpoints(this IEndpointRouteBuilder app)
    {
        var schedules = app.MapGroup("/api/hosts/{id}/schedules").WithTags("Schedules");
        schedules.MapGet("/", List).RequireAuthorization(Policies.Viewer).WithSummary("The host's schedules with their next fire times");
        schedules.MapPost("/", Create).RequireAuthorization(Policies.Operator)
            .WithSummary("Add a schedule: a crontab expression (5 fields, or 6 with seconds first) in an IANA time zone, backing up source groups of this host");
        schedules.MapGet("/{scheduleId}", Get).RequireAuthorization(Policies.Viewer).WithSummary("One schedule");
        schedules.MapPut("/{scheduleId}", Update).RequireAuthorization(Policies.Operator).WithSummary("Replace a schedule");
        schedules.MapDelete("/{scheduleId}", Delete).RequireAuthorization(Policies.Operator).WithSummary("Delete a schedule and its triggers");
        schedules.MapGet("/{scheduleId}/runs", Runs).RequireAuthorization(Policies.Viewer)
            .WithSummary("The schedule's fires, newest first, with the jobs each queued and the missed fire times it stands for");
        return app;
    }

    static async Task<Ok<List<ScheduleView>>> List(string id, SchedulesDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var rows = await db.Schedules.AsNoTracking().Include(s => s.SourceGroups).Where(s => s.HostId == id).OrderBy(s => s.Id).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(s => ScheduleView.From(s, clock)).ToList());
    }

    static async Task<Results<Ok<ScheduleView>, ProblemHttpResult>> Get(string id, string scheduleId, SchedulesDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var schedule = await db.Schedules.AsNoTracking().Include(s => s.SourceGroups).FirstOrDefaultAsync(s => s.Id == scheduleId && s.HostId == id, ct);
        return schedule is null ? Problems.NotFound($"No schedule '{scheduleId}' on host '{id}'.") : TypedResults.Ok(ScheduleView.From(schedule, clock));
    }

    static async Task<Results<Created<ScheduleView>, ValidationProblem, ProblemHttpResult>> Create(
        string id, ScheduleRequest? request, SchedulesDbContext db, HostDirectory hosts, QuartzTriggers triggers, TimeProvider clock, CancellationToken ct)
    {
        var errors = await ValidateAsync(id, request, db, ct);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (!await hosts.ExistsAsync(id, ct))
        {
            return Problems.NotFound($"No host '{id}'.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var schedule = new Schedule { Id = Ids.New(clock), HostId = id, Cron = string.Empty, TimeZone = string.Empty, CreatedAt = now };
        Apply(schedule, request!, now);
        db.Schedules.Add(schedule);
        await db.SaveChangesAsync(ct);
        await triggers.SyncScheduleAsync(schedule.Id, ct);
        return TypedResults.Created($"/api/hosts/{id}/schedules/{schedule.Id}", ScheduleView.From(schedule, clock));
    }

    static async Task<Results<Ok<ScheduleView>, ValidationProblem, ProblemHttpResult>> Update(
        string id, string scheduleId, ScheduleRequest? request, SchedulesDbContext db, HostDirectory hosts, QuartzTriggers triggers, TimeProvider clock, CancellationToken ct)
    {
        var schedule = await db.Schedules.Include(s => s.SourceGroups).FirstOrDefaultAsync(s => s.Id == scheduleId && s.HostId == id, ct);
        if (schedule is null)
        {
            return Problems.NotFound($"No schedule '{scheduleId}' on host '{id}'.");
        }

        var errors = await ValidateAsync(id, request, db, ct);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (request!.Enabled != false && !await hosts.ExistsAsync(id, ct))
        {
            return Problems.Conflict($"Host '{id}' is revoked: its schedules stay disabled.");
        }

        Apply(schedule, request, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        await triggers.SyncScheduleAsync(schedule.Id, ct);
        return TypedResults.Ok(ScheduleView.From(schedule, clock));
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Delete(string id, string scheduleId, SchedulesDbContext db, QuartzTriggers triggers, CancellationToken ct)
    {
        var schedule = await db.Schedules.FirstOrDefaultAsync(s => s.Id == scheduleId && s.HostId == id, ct);
        if (schedule is null)
        {
            return Problems.NotFound($"No schedule '{scheduleId}' on host '{id}'.");
        }

        db.Schedules.Remove(schedule);
        await db.Runs.Where(r => r.ScheduleId == scheduleId).ExecuteDeleteAsync(ct);
        await db.SaveChangesAsync(ct);
        await triggers.SyncScheduleAsync(scheduleId, ct);
        return TypedResults.NoContent();
    }

    static async Task<Results<Ok<List<ScheduleRunView>>, ProblemHttpResult>> Runs(string id, string scheduleId, SchedulesDbContext db, CancellationToken ct)
    {
        var schedule = await db.Schedules.AsNoTracking().FirstOrDefaultAsync(s => s.Id == scheduleId && s.HostId == id, ct);
        if (schedule is null)
        {
            return Problems.NotFound($"No schedule '{scheduleId}' on host '{id}'.");
        }

        // One more than shown, so the oldest shown knows its predecessor.
        var runs = await db.Runs.AsNoTracking().Where(r => r.ScheduleId == scheduleId).OrderByDescending(r => r.ScheduledFor).Take(Paging.MaxLimit + 1).ToListAsync(ct);
        var cron = CronSchedule.TryParse(schedule.Cron, schedule.TimeZone, out var parsed, out _) ? parsed : null;
        return TypedResults.Ok(runs.Take(Paging.MaxLimit).Select((r, i) => new ScheduleRunView(
            r.ScheduledFor.AsUtc(), r.FiredAt.AsUtc(),
            i + 1 < runs.Count && cron is not null ? cron.CountFireTimes(runs[i + 1].ScheduledFor.AsUtc(), r.ScheduledFor.AsUtc().AddTicks(-1)) : 0,
            r.JobIdsJson is null ? [] : JsonSerializer.Deserialize<List<string>>(r.JobIdsJson)!, r.Error)).ToList());
    }

    static void Apply(Schedule schedule, ScheduleRequest request, DateTime now)
    {
        var enabled = request.Enabled ?? true;
        if (enabled && (!schedule.Enabled || schedule.Cron != request.Cron!.Trim()))
        {
            schedule.EnabledSince = now;
        }

        schedule.Cron = request.Cron!.Trim();
        schedule.TimeZone = string.IsNullOrWhiteSpace(request.TimeZone) ? "UTC" : request.TimeZone.Trim();
        schedule.Enabled = enabled;
        schedule.UpdatedAt = now;
        schedule.SourceGroups = [.. request.SourceGroupIds!.Distinct(StringComparer.Ordinal).Select(g => new ScheduleSourceGroup { ScheduleId = schedule.Id, SourceGroupId = g })];
    }

    static async Task<FieldErrors> ValidateAsync(string hostId, ScheduleRequest? request, SchedulesDbContext db, CancellationToken ct)
    {
        var errors = new FieldErrors().Require(request is not null, "body", "a JSON body {cron, timeZone, enabled, sourceGroupIds} is required");
        if (request is null)
        {
            return errors;
        }

        if (!CronSchedule.TryParse(request.Cron, request.TimeZone, out _, out var problem))
        {
            errors.Require(false, problem.StartsWith("unknown time zone", StringComparison.Ordinal) ? "timeZone" : "cron", problem);
        }

        var ids = request.SourceGroupIds ?? [];
        errors.Require(ids.Count is > 0 and <= 100, "sourceGroupIds", "one to 100 source group ids of this host");
        var known = await db.SourceGroups.AsNoTracking().Where(g => ids.Contains(g.Id)).Select(g => new { g.Id, g.HostId }).ToListAsync(ct);
        foreach (var groupId in ids.Distinct(StringComparer.Ordinal))
        {
            var match = known.FirstOrDefault(g => g.Id == groupId);
            errors.Require(match is not null, "sourceGroupIds", $"'{groupId}' is not a source group");
            errors.Require(match is null || match.HostId == hostId, "sourceGroupIds", $"'{groupId}' is a source group of another host: a schedule backs up groups of its own host only");
        }

        return errors;
    }
}
