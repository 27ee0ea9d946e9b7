using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;
using ResticManager.Protocol;
using ResticManager.ServiceDefaults;

namespace ResticManager.Schedules;

public static class SourceGroupEndpoints
{
    const int MaxHookSeconds = 24 * 3600;

    /// <summary>At most this many <c>?hostId=</c> on <c>/api/overdue</c>: a page of a host list.</summary>
    const int MaxOverdueHosts = 200;

    public static IEndpointRouteBuilder MapSourceGroups(this IEndpointRouteBuilder app)
    {
        var groups = app.MapGroup("/api/hosts/{hostId}/source-groups").WithTags("Source groups").AddEndpointFilter<KnownHostFilter>();
        groups.MapGet("/", List).RequireAuthorization(Policies.Viewer).WithSummary("The host's source groups by name, each with its backup status (overdue or not): {items, nextCursor}");
        groups.MapPost("/", Create).RequireAuthorization(Policies.Operator).WithSummary("Add a source group (hooks need the admin role on the host: they run commands there; only its admins see their commands)");
        groups.MapGet("/{groupId}", Get).RequireAuthorization(Policies.Viewer).WithSummary("One source group");
        groups.MapPut("/{groupId}", Update).RequireAuthorization(Policies.Operator).WithSummary("Replace a source group");
        groups.MapDelete("/{groupId}", Delete).RequireAuthorization(Policies.Operator).WithSummary("Delete a source group; 409 with the schedules that still use it");
        groups.MapPost("/{groupId}/run", RunNow).RequireAuthorization(Policies.Operator).WithSummary("Back up this group now");
        app.MapGet("/api/overdue", Overdue).RequireAuthorization(Policies.Viewer).WithTags("Source groups")
            .WithSummary($"Every overdue source group of the hosts in the caller's scope, longest overdue first: {{items, nextCursor}}; ?hostId= (repeatable, at most {MaxOverdueHosts}) keeps those hosts' groups");
        app.MapGet("/api/overdue/summary", OverdueSummary).RequireAuthorization(Policies.Viewer).WithTags("Source groups")
            .WithSummary("How many source groups of the hosts in the caller's scope are overdue, and on how many hosts");
        return app;
    }

    static async Task<Ok<Page<SourceGroupView>>> List(string hostId, string? cursor, int? limit, ClaimsPrincipal user, SchedulesDbContext db, OverdueRule rule, CancellationToken ct)
    {
        var take = Paging.ClampLimit(limit);
        var query = db.SourceGroups.AsNoTracking().Where(g => g.HostId == hostId);
        if (!string.IsNullOrEmpty(cursor))
        {
            // Names are unique per host, so the last name shown is the whole cursor.
            query = query.Where(g => string.Compare(g.Name, cursor) > 0);
        }

        var groups = await query.OrderBy(g => g.Name).Take(take + 1).ToListAsync(ct);
        var statuses = await rule.StatusesAsync(db, groups, ct);
        var showHooks = await ShowsHooksAsync(db, user, hostId, ct);
        return TypedResults.Ok(Paging.ToPage(groups, take, g => g.Name, g => SourceGroupView.From(g, statuses[g.Id], showHooks)));
    }

    static async Task<Results<Ok<SourceGroupView>, ProblemHttpResult>> Get(
        string hostId, string groupId, ClaimsPrincipal user, SchedulesDbContext db, OverdueRule rule, CancellationToken ct)
    {
        var group = await db.SourceGroups.AsNoTracking().FirstOrDefaultAsync(g => g.Id == groupId && g.HostId == hostId, ct);
        return group is null
            ? Problems.NotFound($"No source group '{groupId}' on host '{hostId}'.")
            : TypedResults.Ok(SourceGroupView.From(group, (await rule.StatusesAsync(db, [group], ct))[group.Id], await ShowsHooksAsync(db, user, hostId, ct)));
    }

    /// <summary>Hook commands are shown to who may change them: an admin of the host.</summary>
    static async Task<bool> ShowsHooksAsync(SchedulesDbContext db, ClaimsPrincipal user, string hostId, CancellationToken ct) =>
        await db.CheckAsync(user, hostId, Roles.Admin, ct) == HostAccess.Allowed;

    static async Task<Results<Created<SourceGroupView>, ValidationProblem, ProblemHttpResult>> Create(
        string hostId, SourceGroupRequest? request, ClaimsPrincipal user, SchedulesDbContext db,
        HostDirectory hosts, TimeProvider clock, CancellationToken ct)
    {
        var errors = Validate(request);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (await RefuseHooksAsync(request!, user, db, hostId, ct) is { } forbidden)
        {
            return forbidden;
        }

        if (!await hosts.ActiveAsync(hostId, ct))
        {
            return Problems.Conflict($"Host '{hostId}' is revoked: it gets no new source groups.");
        }

        if (await ConflictAsync(db, hostId, null, request!.Name!.Trim(), TagOf(request, null), ct) is { } conflict)
        {
            return conflict;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var group = new SourceGroup
        {
            Id = Ids.New(clock), HostId = hostId, Name = string.Empty, IncludesJson = "[]", ExcludesJson = "[]", Tag = string.Empty, CreatedAt = now,
        };
        Apply(group, request!, group.NextChangeAt(now));
        db.SourceGroups.Add(group);
        Announce(db, group, deleted: false, group.UpdatedAt);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/hosts/{hostId}/source-groups/{group.Id}", SourceGroupView.From(group, BackupStatus.Unscheduled(group), await ShowsHooksAsync(db, user, hostId, ct)));
    }

    static async Task<Results<Ok<SourceGroupView>, ValidationProblem, ProblemHttpResult>> Update(
        string hostId, string groupId, SourceGroupRequest? request, ClaimsPrincipal user, SchedulesDbContext db,
        OverdueRule rule, TimeProvider clock, CancellationToken ct)
    {
        var errors = Validate(request);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var group = await db.SourceGroups.FirstOrDefaultAsync(g => g.Id == groupId && g.HostId == hostId, ct);
        if (group is null)
        {
            return Problems.NotFound($"No source group '{groupId}' on host '{hostId}'.");
        }

        // Changing or removing hooks is as sensitive as adding them.
        if ((request!.Hooks is not null || group.HooksJson is not null) && await RefuseHooksAsync(request with { Hooks = request.Hooks ?? new JobHooks() }, user, db, hostId, ct) is { } forbidden)
        {
            return forbidden;
        }

        if (await ConflictAsync(db, hostId, groupId, request.Name!.Trim(), TagOf(request, group), ct) is { } conflict)
        {
            return conflict;
        }

        Apply(group, request, group.NextChangeAt(clock.GetUtcNow().UtcDateTime));
        Announce(db, group, deleted: false, group.UpdatedAt);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(SourceGroupView.From(group, (await rule.StatusesAsync(db, [group], ct))[group.Id], await ShowsHooksAsync(db, user, hostId, ct)));
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Delete(string hostId, string groupId, SchedulesDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var group = await db.SourceGroups.FirstOrDefaultAsync(g => g.Id == groupId && g.HostId == hostId, ct);
        if (group is null)
        {
            return Problems.NotFound($"No source group '{groupId}' on host '{hostId}'.");
        }

        var users = await db.Schedules.AsNoTracking().Where(s => s.SourceGroups.Any(l => l.SourceGroupId == groupId))
            .OrderBy(s => s.Id).Select(s => new ScheduleReference(s.Id, s.Cron, s.Enabled)).ToListAsync(ct);
        if (users.Count > 0)
        {
            return TypedResults.Problem(
                title: "Conflict",
                detail: $"Source group '{group.Name}' is used by {users.Count} schedule(s): remove it from them first.",
                statusCode: StatusCodes.Status409Conflict,
                extensions: new Dictionary<string, object?> { ["schedules"] = users });
        }

        db.SourceGroups.Remove(group);
        Announce(db, group, deleted: true, group.NextChangeAt(clock.GetUtcNow().UtcDateTime));
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    static async Task<Results<Accepted<JobCreated>, ValidationProblem, ProblemHttpResult>> RunNow(
        string hostId, string groupId, ClaimsPrincipal user, SchedulesDbContext db, JobRequests jobs, CancellationToken ct)
    {
        var group = await db.SourceGroups.AsNoTracking().FirstOrDefaultAsync(g => g.Id == groupId && g.HostId == hostId, ct);
        if (group is null)
        {
            return Problems.NotFound($"No source group '{groupId}' on host '{hostId}'.");
        }

        var result = await jobs.QueueAsync(JobRequests.Backup(group, Ids.New(), user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "unknown", scheduleId: null), ct);
        return result.ToHttpResult();
    }

    static async Task<Results<Ok<Page<OverdueGroupView>>, ValidationProblem>> Overdue(
        string? cursor, int? limit, string[]? hostId, ClaimsPrincipal user, SchedulesDbContext db, CancellationToken ct)
    {
        var hosts = (hostId ?? []).Distinct(StringComparer.Ordinal).ToList();
        if (hosts.Count > MaxOverdueHosts)
        {
            return Problems.Invalid("hostId", $"at most {MaxOverdueHosts} hosts at once");
        }

        if (hosts.FirstOrDefault(id => !InputRules.ValidId(id)) is { } bad)
        {
            return Problems.Invalid("hostId", $"'{bad}' is not a host id");
        }

        var take = Paging.ClampLimit(limit);
        var query = db.SourceGroups.AsNoTracking().Where(g => g.OverdueSince != null).WhereHostIn(db, user.HostScope(Roles.Viewer), g => g.HostId);
        if (hosts.Count > 0)
        {
            query = query.Where(g => hosts.Contains(g.HostId));
        }
        if (!string.IsNullOrEmpty(cursor))
        {
            if (!TimeCursor.TryParse(cursor, out var since, out var groupId))
            {
                return Problems.Invalid("cursor", "the nextCursor of a previous page");
            }

            query = query.Where(g => g.OverdueSince > since || (g.OverdueSince == since && string.Compare(g.Id, groupId) > 0));
        }

        var overdue = await query.OrderBy(g => g.OverdueSince).ThenBy(g => g.Id).Take(take + 1).ToListAsync(ct);
        return TypedResults.Ok(Paging.ToPage(overdue, take, g => TimeCursor.Of(g.OverdueSince!.Value, g.Id),
            g => new OverdueGroupView(g.HostId, g.Id, g.Name, g.LastSuccessAt.AsUtc(), g.OverdueSince!.Value.AsUtc())));
    }

    static async Task<Ok<OverdueTotals>> OverdueSummary(ClaimsPrincipal user, SchedulesDbContext db, CancellationToken ct)
    {
        var overdue = db.SourceGroups.AsNoTracking().Where(g => g.OverdueSince != null).WhereHostIn(db, user.HostScope(Roles.Viewer), g => g.HostId);
        var groups = await overdue.CountAsync(ct);
        var hosts = groups == 0 ? 0 : await overdue.Select(g => g.HostId).Distinct().CountAsync(ct);
        return TypedResults.Ok(new OverdueTotals(groups, hosts));
    }

    /// <summary>Tells other services (notifications names groups) of the change, through the outbox in the same save.</summary>
    static void Announce(SchedulesDbContext db, SourceGroup group, bool deleted, DateTime changedAt) =>
        db.AddToOutbox(new SourceGroupChanged(group.HostId, group.Id, group.Name, deleted, changedAt.Ticks, changedAt.AsUtc()));

    static void Apply(SourceGroup group, SourceGroupRequest request, DateTime now)
    {
        group.Name = request.Name!.Trim();
        group.IncludesJson = Json.Write(request.Includes)!;
        group.ExcludesJson = Json.Write(request.Excludes ?? [])!;
        group.Tag = TagOf(request, group.Tag.Length == 0 ? null : group);
        group.RetentionJson = request.Retention is { IsEmpty: false } ? Json.Write(request.Retention) : null;
        group.HooksJson = request.Hooks is { Pre: null, Post: null } or null ? null : Json.Write(request.Hooks);
        group.UpdatedAt = now;
    }

    /// <summary>The tag given, else the group's current one (a rename must not orphan its snapshots), else the name.</summary>
    static string TagOf(SourceGroupRequest request, SourceGroup? existing) =>
        !string.IsNullOrWhiteSpace(request.Tag) ? request.Tag.Trim() : existing?.Tag ?? request.Name!.Trim();

    static async Task<ProblemHttpResult?> ConflictAsync(SchedulesDbContext db, string hostId, string? groupId, string name, string tag, CancellationToken ct)
    {
        var clash = await db.SourceGroups.AsNoTracking().Where(g => g.HostId == hostId && g.Id != groupId && (g.Name == name || g.Tag == tag)).FirstOrDefaultAsync(ct);
        return clash is null ? null
            : clash.Name == name ? Problems.Conflict($"Host '{hostId}' already has a source group named '{name}'.")
            : Problems.Conflict($"Source group '{clash.Name}' of host '{hostId}' already uses the tag '{tag}': forget selects snapshots by tag, so each group needs its own.");
    }

    static async Task<ProblemHttpResult?> RefuseHooksAsync(SourceGroupRequest request, ClaimsPrincipal user, SchedulesDbContext db, string hostId, CancellationToken ct) =>
        request.Hooks is null || await ShowsHooksAsync(db, user, hostId, ct)
            ? null
            : TypedResults.Problem(title: "Forbidden", detail: "Hooks run commands on the host: only an admin may set or change them.", statusCode: StatusCodes.Status403Forbidden);

    static FieldErrors Validate(SourceGroupRequest? request)
    {
        var errors = new FieldErrors().Require(request is not null, "body", "a JSON body {name, includes, excludes, tag, retention, hooks} is required");
        if (request is null)
        {
            return errors;
        }

        errors.Require(!string.IsNullOrWhiteSpace(request.Name) && request.Name.Length <= 100, "name", "is required, at most 100 characters")
            .Require(request.Includes is { Count: > 0 } && InputRules.ValidList(request.Includes, 4096), "includes", "at least one path; at most 1000 non-empty entries of at most 4096 characters")
            .Require(InputRules.ValidList(request.Excludes, 4096), "excludes", "at most 1000 non-empty entries of at most 4096 characters")
            .Require(request.Tag is null || (request.Tag.Length is > 0 and <= 100 && !request.Tag.Contains(',', StringComparison.Ordinal) && !request.Tag.Any(char.IsWhiteSpace)),
                "tag", "1 to 100 characters without commas or spaces (defaults to the name)")
            .Require(request.Name is null || request.Tag is not null || (!request.Name.Contains(',', StringComparison.Ordinal) && !request.Name.Trim().Any(char.IsWhiteSpace)),
                "tag", "is required when the name contains spaces or commas (the tag defaults to the name)")
            .Require(request.Retention is not { HasNegativeCount: true }, "retention", "keep counts must not be negative")
            .Require(request.Retention?.KeepWithin is null || System.Text.RegularExpressions.Regex.IsMatch(request.Retention.KeepWithin, "^([0-9]+[ymdh])+$"),
                "retention.keepWithin", "a restic duration such as 7d, 2y5m7d or 12h");
        ValidateHook(errors, "hooks.pre", request.Hooks?.Pre);
        ValidateHook(errors, "hooks.post", request.Hooks?.Post);
        return errors;
    }

    static void ValidateHook(FieldErrors errors, string field, Hook? hook)
    {
        if (hook is null)
        {
            return;
        }

        errors.Require(!string.IsNullOrWhiteSpace(hook.Command) && hook.Command.Length <= 4096 && !hook.Command.Contains('\0', StringComparison.Ordinal), $"{field}.command", "is required, at most 4096 characters")
            .Require(hook.TimeoutSeconds is > 0 and <= MaxHookSeconds, $"{field}.timeoutSeconds", $"must be between 1 and {MaxHookSeconds}")
            .Require(Enum.IsDefined(hook.OnError), $"{field}.onError", "one of ignore, cancel, fail");
    }
}
