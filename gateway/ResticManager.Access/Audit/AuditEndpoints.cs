using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Access;

/// <summary>The audit log, newest first: a fleet admin reads everyone's entries, anyone else only their own.</summary>
public static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAuditLog(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/audit", List).RequireAuthorization(Policies.Viewer).WithTags("Access")
            .WithSummary("Audit entries newest first, filtered by actor, host, action (METHOD /route/template) and time (from, to: ISO 8601); a fleet admin sees all, anyone else their own");
        return app;
    }

    static async Task<Results<Ok<Page<AuditEntryView>>, ValidationProblem>> List(
        string? actor, string? hostId, string? action, string? from, string? to, string? cursor, int? limit,
        ClaimsPrincipal user, AccessDbContext db, CancellationToken ct)
    {
        var since = ParseTime(from);
        var until = ParseTime(to);
        var errors = new FieldErrors()
            .Require(from is null || since is not null, "from", "must be an ISO 8601 date and time, such as 2026-11-29T12:00:00Z")
            .Require(to is null || until is not null, "to", "must be an ISO 8601 date and time, such as 2026-11-29T12:00:00Z")
            .Require(since is null || until is null || since <= until, "from", "must not be after to")
            .Require(cursor is null || InputRules.ValidId(cursor), "cursor", "must be the nextCursor of a previous page")
            .Require(limit is null or >= 1 and <= Paging.MaxLimit, "limit", $"must be between 1 and {Paging.MaxLimit}");
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var query = db.AuditEntries.AsNoTracking();
        if (!user.IsFleetAdmin())
        {
            // Anyone else sees what they did themselves, whatever actor they asked for.
            var self = user.FindFirstValue(ClaimTypes.NameIdentifier) ?? string.Empty;
            query = query.Where(e => e.ActorId == self);
        }
        else if (!string.IsNullOrEmpty(actor))
        {
            query = query.Where(e => e.ActorId == actor || e.ActorName == actor);
        }

        if (!string.IsNullOrEmpty(hostId))
        {
            query = query.Where(e => e.HostId == hostId);
        }

        if (!string.IsNullOrEmpty(action))
        {
            query = query.Where(e => e.Action == action);
        }

        if (since is { } start)
        {
            query = query.Where(e => e.At >= start);
        }

        if (until is { } end)
        {
            query = query.Where(e => e.At <= end);
        }

        if (cursor is not null)
        {
            query = query.Where(e => string.Compare(e.Id, cursor) < 0);
        }

        var take = limit ?? Paging.DefaultLimit;
        var rows = await query.OrderByDescending(e => e.Id).Take(take + 1).ToListAsync(ct);
        return TypedResults.Ok(Paging.ToPage(rows, take, e => e.Id, AuditEntryView.From));
    }

    static DateTime? ParseTime(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time.UtcDateTime : null;
}
