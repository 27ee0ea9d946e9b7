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
        var schedules = app.MapGroup("/api/hosts/{hostId}/schedules").WithTags("Schedules").AddEndpointFilter<KnownHostFilter>();
        schedules.MapGet("/", List).RequireAuthorization(Policies.Viewer).WithSummary("The host's schedules with their next fire times: {items, nextCursor}");
        schedules.MapPost("/", Create).RequireAuthorization(Policies.Operator)
            .WithSummary("Add a schedule: a crontab expression (5 fields, or 6 with seconds first) in an IANA time zone, backing up source groups of this host");
        schedules.MapGet("/{scheduleId}", Get).RequireAuthorization(Policies.Viewer).WithSummary("One schedule");
        schedules.MapPut("/{scheduleId}", Update).RequireAuthorization(Policies.Operator).WithSummary("Replace a schedule");
        schedules.MapDelete("/{scheduleId}", Delete).RequireAuthorization(Policies.Operator).WithSummary("Delete a schedule and its triggers");
        schedules.MapGet("/{scheduleId}/runs", Runs).RequireAuthorization(Policies.Viewer)
            .WithSummary("The schedule's fires, newest first, with the jobs each queued and the missed fire times it stands for: {items, nextCursor}");
        return app;
    }

    static async Task<Ok<Page<ScheduleView>>> List(string hostId, string? cursor, int? limit, SchedulesDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var take = Paging.ClampLimit(limit);
        var query = db.Schedules.AsNoTracking().Include(s => s.SourceGroups).Where(s => s.HostId == hostId);
        if (!string.IsNullOrEmpty(cursor))
        {
            query = query.Where(s => string.Compare(s.Id, cursor) > 0);
        }

        var rows = await query.OrderBy(s => s.Id).Take(take + 1).ToListAsync(ct);
        return TypedResults.Ok(Paging.ToPage(rows, take, s => s.Id, s => ScheduleView.From(s, clock)));
    }

    static async Task<Results<Ok<ScheduleView>, ProblemHttpResult>> Get(string hostId, string scheduleId, SchedulesDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var schedule = await db.Schedules.AsNoTracking().Include(s => s.SourceGroups).FirstOrDefaultAsync(s => s.Id == scheduleId && s.HostId == hostId, ct);
        return schedule is null ? Problems.NotFound($"No schedule '{scheduleId}' on host '{hostId}'.") : TypedResults.Ok(ScheduleView.From(schedule, clock));
    }

    static async Task<Results<Created<ScheduleView>, ValidationProblem, ProblemHttpResult>> Create(
        string hostId, ScheduleRequest? request, SchedulesDbContext db, HostDirectory hosts, QuartzTriggers triggers, TimeProvider clock, CancellationToken ct)
    {
        var errors = await ValidateAsync(hostId, request, db, ct);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (!await hosts.ActiveAsync(hostId, ct))
        {
            return Problems.Conflict($"Host '{hostId}' is revoked: it gets no new schedules.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var schedule = new Schedule { Id = Ids.New(clock), HostId = hostId, Cron = string.Empty, TimeZone = string.Empty, CreatedAt = now };
        Apply(schedule, request!, now);
        db.Schedules.Add(schedule);
        await db.SaveChangesAsync(ct);
        await triggers.SyncScheduleAsync(schedule.Id, ct);
        return TypedResults.Created($"/api/hosts/{hostId}/schedules/{schedule.Id}", ScheduleView.From(schedule, clock));
    }

    static async Task<Results<Ok<ScheduleView>, ValidationProblem, ProblemHttpResult>> Update(
        string hostId, string scheduleId, ScheduleRequest? request, SchedulesDbContext db, HostDirectory hosts, QuartzTriggers triggers, TimeProvider clock, CancellationToken ct)
    {
        var schedule = await db.Schedules.Include(s => s.SourceGroups).FirstOrDefaultAsync(s => s.Id == scheduleId && s.HostId == hostId, ct);
        if (schedule is null)
        {
            return Problems.NotFound($"No schedule '{scheduleId}' on host '{hostId}'.");
        }

        var errors = await ValidateAsync(hostId, request, db, ct);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (request!.Enabled != false && !await hosts.ActiveAsync(hostId, ct))
        {
            return Problems.Conflict($"Host '{hostId}' is revoked: its schedules stay disabled.");
        }

        Apply(schedule, request, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        await triggers.SyncScheduleAsync(schedule.Id, ct);
        return TypedResults.Ok(ScheduleView.From(schedule, clock));
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Delete(string hostId, string scheduleId, SchedulesDbContext db, QuartzTriggers triggers, CancellationToken ct)
    {
        var schedule = await db.Schedules.FirstOrDefaultAsync(s => s.Id == scheduleId && s.HostId == hostId, ct);
        if (schedule is null)
        {
            return Problems.NotFound($"No schedule '{scheduleId}' on host '{hostId}'.");
        }

        db.Schedules.Remove(schedule);
        await db.Runs.Where(r => r.ScheduleId == scheduleId).ExecuteDeleteAsync(ct);
        await db.SaveChangesAsync(ct);
        await triggers.SyncScheduleAsync(scheduleId, ct);
        return TypedResults.NoContent();
    }

    static async Task<Results<Ok<Page<ScheduleRunView>>, ValidationProblem, ProblemHttpResult>> Runs(
        string hostId, string scheduleId, string? cursor, int? limit, SchedulesDbContext db, CancellationToken ct)
    {
        var schedule = await db.Schedules.AsNoTracking().FirstOrDefaultAsync(s => s.Id == scheduleId && s.HostId == hostId, ct);
        if (schedule is null)
        {
            return Problems.NotFound($"No schedule '{scheduleId}' on host '{hostId}'.");
        }

        var take = Paging.ClampLimit(limit);
        var query = db.Runs.AsNoTracking().Where(r => r.ScheduleId == scheduleId);
        if (!string.IsNullOrEmpty(cursor))
        {
            if (!TimeCursor.TryParse(cursor, out var before, out _))
            {
                return Problems.Invalid("cursor", "the nextCursor of a previous page");
            }

            query = query.Where(r => r.ScheduledFor < before);
        }

        // One more than shown tells whether another page exists, and is the predecessor the oldest shown counts its missed fires from.
        var runs = await query.OrderByDescending(r => r.ScheduledFor).Take(take + 1).ToListAsync(ct);
        var cron = CronSchedule.TryParse(schedule.Cron, schedule.TimeZone, out var parsed, out _) ? parsed : null;
        var views = runs.Select((r, i) => (Run: r, View: new ScheduleRunView(
            r.ScheduledFor.AsUtc(), r.FiredAt.AsUtc(),
            i + 1 < runs.Count && cron is not null ? cron.CountFireTimes(runs[i + 1].ScheduledFor.AsUtc(), r.ScheduledFor.AsUtc().AddTicks(-1)) : 0,
            r.JobIdsJson is null ? [] : JsonSerializer.Deserialize<List<string>>(r.JobIdsJson)!, r.Error))).ToList();
        return TypedResults.Ok(Paging.ToPage(views, take, v => TimeCursor.Of(v.Run.ScheduledFor), v => v.View));
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
