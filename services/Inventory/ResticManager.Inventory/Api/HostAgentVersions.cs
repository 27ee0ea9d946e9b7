using Microsoft.EntityFrameworkCore;
using ResticManager.Contracts;
using ResticManager.Protocol;

namespace ResticManager.Inventory;

/// <summary>
/// <c>agentOutdated</c> in queries: the database cannot order versions, but a fleet runs a handful of them, so the
/// distinct versions stored are judged here by <see cref="AgentVersionPolicy"/> and the outdated ones matched by
/// value. Judged at every read against the version this server ships: a server upgrade shows at once.
/// </summary>
public static class HostAgentVersions
{
    public static async Task<IQueryable<Host>> WhereAgentOutdatedAsync(this IQueryable<Host> query, InventoryDbContext db, bool outdated, CancellationToken ct)
    {
        var versions = await db.Hosts.AsNoTracking().Where(h => h.AgentVersion != null).Select(h => h.AgentVersion!).Distinct().ToListAsync(ct);
        var older = versions.Where(v => AgentVersionPolicy.IsOutdated(v, null)).ToList();
        const int newest = ProtocolVersion.MaxSupported;
        return outdated
            ? query.Where(h => (h.ProtocolVersion != null && h.ProtocolVersion < newest) || (h.AgentVersion != null && older.Contains(h.AgentVersion)))
            : query.Where(h => (h.ProtocolVersion == null || h.ProtocolVersion >= newest) && (h.AgentVersion == null || !older.Contains(h.AgentVersion)));
    }

    public static bool IsOutdated(Host host) => AgentVersionPolicy.IsOutdated(host.AgentVersion, host.ProtocolVersion);
}
