using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using ResticManager.Contracts;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Inventory;

public static class HostEndpoints
{
    public static IEndpointRouteBuilder MapHosts(this IEndpointRouteBuilder app)
    {
        var hosts = app.MapGroup("/api/hosts").WithTags("Hosts");
        hosts.MapGet("/", List).RequireAuthorization(Policies.Viewer)
            .WithSummary("List the hosts in the caller's scope; ?label=key=value (repeatable) keeps hosts carrying every one, ?search= a part of the hostname or of a label, ?agentOutdated=true|false hosts whose agent is (not) older than the one this server ships, ?sort= hostname, -hostname, status, lastSeenAt or -lastSeenAt");
        // A literal segment outranks {hostId} in routing: "summary" is never read as a host id.
        hosts.MapGet("/summary", Summary).RequireAuthorization(Policies.Viewer)
            .WithSummary("How many hosts of the caller's scope are online, stale, offline and pending, and how many run an outdated agent (revoked ones are not counted)");
        hosts.MapGet("/{hostId}", Get).RequireAuthorization(Policies.Viewer).WithSummary("One host");
        // Labels decide which grants cover a host, so only an admin of the whole fleet may change them:
        // a team's admin could otherwise move hosts into its own scope, or out of another's.
        hosts.MapPut("/{hostId}/labels", PutLabels).RequireAuthorization(Policies.FleetAdmin)
            .WithSummary("Replace the host's labels (key=value, one value per key); they decide which grants cover the host");
        hosts.MapDelete("/{hostId}", Revoke).RequireAuthorization(Policies.Operator).WithSummary("Revoke a host: its credentials stop working and its connection is closed");
        return app;
    }

    /// <summary>Longest <c>?search=</c>: a whole hostname.</summary>
    const int MaxSearchLength = 253;

    static async Task<Results<Ok<Page<HostSummary>>, ValidationProblem>> List(
        InventoryDbContext db, ClaimsPrincipal user, string? cursor, int? limit, QueryEnum<HostStatus>? status, string[]? label, string? search, bool? agentOutdated, string? sort, CancellationToken ct)
    {
        var wantedLabels = label ?? [];
        if (wantedLabels.FirstOrDefault(l => !HostLabels.IsValid(l)) is { } malformed)
        {
            return Problems.Invalid("label", $"'{malformed}' is not a label: {HostLabels.Rule}");
        }

        var order = string.IsNullOrEmpty(sort) ? HostOrder.Default : sort;
        if (!HostOrder.IsKnown(order))
        {
            return Problems.Invalid("sort", "must be one of: " + string.Join(", ", HostOrder.Names));
        }

        var term = search?.Trim();
        if (term is { Length: > MaxSearchLength })
        {
            return Problems.Invalid("search", $"at most {MaxSearchLength} characters");
        }

        var take = Paging.ClampLimit(limit);
        var query = db.Hosts.AsNoTracking()
            .WhereHostIn(db, user.HostScope(Roles.Viewer), h => h.Id)
            .WhereHostHasAll(db, wantedLabels, h => h.Id);
        if (!string.IsNullOrEmpty(cursor) && !HostOrder.TryAfter(ref query, order, cursor))
        {
            return Problems.Invalid("cursor", "the nextCursor of a previous page with the same sort");
        }

        if (status?.Value is { } wanted)
        {
            query = query.Where(h => h.Status == wanted);
        }

        if (agentOutdated is { } outdated)
        {
            query = await query.WhereAgentOutdatedAsync(db, outdated, ct);
        }

        if (!string.IsNullOrEmpty(term))
        {
            // Lower-cased on both sides: SQLite's instr and SQL Server's LIKE then agree on case.
            var lower = term.ToLowerInvariant();
            query = query.Where(h => h.Hostname.ToLower().Contains(lower)
                || db.Set<HostLabel>().Any(l => l.HostId == h.Id && l.Label.ToLower().Contains(lower)));
        }

        var rows = await HostOrder.Apply(query, order).Take(take + 1).ToListAsync(ct);
        var labels = await db.LabelsOfAsync(rows.Select(h => h.Id).ToList(), ct);
        return TypedResults.Ok(Paging.ToPage(rows, take, h => HostOrder.CursorOf(h, order), h => ToSummary(h, [.. labels[h.Id]])));
    }

    static async Task<Ok<HostTotals>> Summary(InventoryDbContext db, ClaimsPrincipal user, CancellationToken ct)
    {
        var live = db.Hosts.AsNoTracking()
            .WhereHostIn(db, user.HostScope(Roles.Viewer), h => h.Id)
            .Where(h => h.Status != HostStatus.Revoked);
        var counts = await live
            .GroupBy(h => h.Status)
            .Select(g => new { Status = g.Key, Count = g.Count() })
            .ToDictionaryAsync(c => c.Status, c => c.Count, ct);
        var outdated = await (await live.WhereAgentOutdatedAsync(db, true, ct)).CountAsync(ct);
        int Of(HostStatus status) => counts.GetValueOrDefault(status);
        return TypedResults.Ok(new HostTotals(
            counts.Values.Sum(), Of(HostStatus.Online), Of(HostStatus.Stale), Of(HostStatus.Offline), Of(HostStatus.Pending), outdated, AgentVersionPolicy.Shipped));
    }

    static async Task<Results<Ok<HostDetails>, ProblemHttpResult>> Get(string hostId, InventoryDbContext db, CancellationToken ct)
    {
        var host = await db.Hosts.AsNoTracking().FirstOrDefaultAsync(h => h.Id == hostId, ct);
        return host is null ? Problems.NotFound($"No host '{hostId}'.") : TypedResults.Ok(ToDetails(host, await db.LabelsOfAsync(hostId, ct)));
    }

    static async Task<Results<Ok<HostLabelsView>, ValidationProblem, ProblemHttpResult>> PutLabels(
        string hostId, PutHostLabelsRequest? request, InventoryDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (!await db.Hosts.AnyAsync(h => h.Id == hostId, ct))
        {
            return Problems.NotFound($"No host '{hostId}'.");
        }

        if (ValidateLabels(request) is { } invalid)
        {
            return invalid;
        }

        var labels = request!.Labels!.Select(l => l!).Order(StringComparer.Ordinal).ToList();
        var now = clock.GetUtcNow();
        var version = await db.InTransactionAsync(async () =>
        {
            // Time-based like a repository binding's version, and always past the stored one.
            var current = await db.Set<HostLabelSet>().Where(s => s.HostId == hostId).Select(s => (long?)s.Version).FirstOrDefaultAsync(ct) ?? 0;
            var next = Math.Max(current + 1, now.ToUnixTimeMilliseconds());
            await db.ReplaceIfNewerAsync(hostId, labels, next, now.UtcDateTime, ct);
            db.AddToOutbox(new HostLabelsChanged(hostId, labels, next, now));
            return next;
        }, ct);
        return TypedResults.Ok(new HostLabelsView(labels, version));
    }

    /// <summary>Each label valid, at most <see cref="HostLabels.MaxPerHost"/>, one value per key; errors name <c>labels[i]</c>.</summary>
    static ValidationProblem? ValidateLabels(PutHostLabelsRequest? request)
    {
        if (request?.Labels is not { } labels)
        {
            return Problems.Invalid("labels", "a JSON body {labels: [\"key=value\", …]} is required");
        }

        var errors = new FieldErrors().Require(labels.Count <= HostLabels.MaxPerHost, "labels", $"at most {HostLabels.MaxPerHost} labels per host");
        var keys = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < labels.Count; i++)
        {
            var label = labels[i];
            if (!HostLabels.IsValid(label))
            {
                errors.Require(false, $"labels[{i}]", $"must be {HostLabels.Rule}");
                continue;
            }

            var key = label!.Split('=', 2)[0];
            if (keys.TryGetValue(key, out var first))
            {
                errors.Require(false, $"labels[{i}]", $"key '{key}' already has a value in labels[{first}]: one value per key");
            }
            else
            {
                keys[key] = i;
            }
        }

        return errors.Any ? errors.ToProblem() : null;
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Revoke(
        string hostId, InventoryDbContext db, TimeProvider clock, ILoggerFactory loggers, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var host = await db.Hosts.AsNoTracking().Where(h => h.Id == hostId).Select(h => new { h.Status }).FirstOrDefaultAsync(ct);
        if (host is null)
        {
            return Problems.NotFound($"No host '{hostId}'.");
        }

        var revoked = await db.InTransactionAsync(async () =>
        {
            var changed = await Presence.MarkRevokedAsync(db, hostId, now.UtcDateTime, ct);
            // Published again on a repeated revoke: closing a connection that is already gone is harmless.
            db.AddToOutbox(new HostRevoked(hostId, now));
            return changed > 0;
        }, ct);
        if (revoked)
        {
            loggers.CreateLogger("ResticManager.Inventory.Hosts").LogInformation("Host {HostId} revoked", hostId);
        }

        return TypedResults.NoContent();
    }

    static HostSummary ToSummary(Host h, IReadOnlyList<string> labels) =>
        new(h.Id, h.Hostname, h.Os, h.Arch, h.AgentVersion, h.ResticVersion, h.Status, h.LastSeenAt.AsUtc(), labels,
            HostAgentVersions.IsOutdated(h), AgentVersionPolicy.Shipped);

    static HostDetails ToDetails(Host h, IReadOnlyList<string> labels) => new(
        h.Id, h.Hostname, h.Os, h.Arch, h.AgentVersion, h.ResticVersion, h.ProtocolVersion, h.Status,
        h.EnrolledAt.AsUtc(), h.FirstSeenAt.AsUtc(), h.LastSeenAt.AsUtc(), h.HeartbeatIntervalSeconds, h.RevokedAt.AsUtc(), labels,
        HostAgentVersions.IsOutdated(h), AgentVersionPolicy.Shipped);
}
