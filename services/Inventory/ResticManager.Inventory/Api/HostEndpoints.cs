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
        hosts.MapGet("/", List).RequireAuthorization(Policies.Viewer).WithSummary("List hosts, oldest enrollment first");
        hosts.MapGet("/{hostId}", Get).RequireAuthorization(Policies.Viewer).WithSummary("One host");
        hosts.MapDelete("/{hostId}", Revoke).RequireAuthorization(Policies.Operator).WithSummary("Revoke a host: its credentials stop working and its connection is closed");
        return app;
    }

    static async Task<Results<Ok<Page<HostSummary>>, ValidationProblem>> List(InventoryDbContext db, string? cursor, int? limit, QueryEnum<HostStatus>? status, CancellationToken ct)
    {
        var take = Paging.ClampLimit(limit);
        var query = db.Hosts.AsNoTracking();
        if (!string.IsNullOrEmpty(cursor))
        {
            query = query.Where(h => string.Compare(h.Id, cursor) > 0);
        }

        if (status?.Value is { } wanted)
        {
            query = query.Where(h => h.Status == wanted);
        }

        var rows = await query.OrderBy(h => h.Id).Take(take + 1).ToListAsync(ct);
        return TypedResults.Ok(Paging.ToPage(rows, take, h => h.Id, ToSummary));
    }

    static async Task<Results<Ok<HostDetails>, ProblemHttpResult>> Get(string hostId, InventoryDbContext db, CancellationToken ct)
    {
        var host = await db.Hosts.AsNoTracking().FirstOrDefaultAsync(h => h.Id == hostId, ct);
        return host is null ? Problems.NotFound($"No host '{hostId}'.") : TypedResults.Ok(ToDetails(host));
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
            var changed = await db.Hosts.Where(h => h.Id == hostId && h.Status != HostStatus.Revoked)
                .ExecuteUpdateAsync(s => s.SetProperty(h => h.Status, HostStatus.Revoked).SetProperty(h => h.RevokedAt, now.UtcDateTime).SetProperty(h => h.StaleAfter, (DateTime?)null), ct);
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

    static HostSummary ToSummary(Host h) => new(h.Id, h.Hostname, h.Os, h.Arch, h.AgentVersion, h.ResticVersion, h.Status, h.LastSeenAt.AsUtc());

    static HostDetails ToDetails(Host h) => new(
        h.Id, h.Hostname, h.Os, h.Arch, h.AgentVersion, h.ResticVersion, h.ProtocolVersion, h.Status,
        h.EnrolledAt.AsUtc(), h.FirstSeenAt.AsUtc(), h.LastSeenAt.AsUtc(), h.HeartbeatIntervalSeconds, h.RevokedAt.AsUtc());
}
