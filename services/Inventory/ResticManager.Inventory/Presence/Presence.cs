using Microsoft.EntityFrameworkCore;
using ResticManager.BuildingBlocks;

namespace ResticManager.Inventory;

/// <summary>
/// Presence rules as conditional updates, ordered by <see cref="PresenceVersion"/>: an event applies
/// only when its version is newer than the stored one, so the result is the same whatever order or how
/// many times the events arrive. A revoked host never changes presence again.
/// </summary>
public static class Presence
{
    public static Task<int> MarkOnlineAsync(InventoryDbContext db, string hostId, long connectionSeq, DateTime at, int heartbeatIntervalSeconds, CancellationToken ct)
    {
        var version = PresenceVersion.Online(connectionSeq);
        var staleAfter = at.AddSeconds(3 * heartbeatIntervalSeconds);
        return db.Hosts
            .Where(h => h.Id == hostId && h.Status != HostStatus.Revoked && h.PresenceVersion < version)
            .ExecuteUpdateAsync(s => s
                .SetProperty(h => h.Status, HostStatus.Online)
                .SetProperty(h => h.PresenceVersion, version)
                .SetProperty(h => h.LastSeenAt, at)
                .SetProperty(h => h.StaleAfter, staleAfter)
                .SetProperty(h => h.FirstSeenAt, h => h.FirstSeenAt ?? at), ct);
    }

    public static Task<int> MarkOfflineAsync(InventoryDbContext db, string hostId, long connectionSeq, CancellationToken ct)
    {
        var version = PresenceVersion.Offline(connectionSeq);
        return db.Hosts
            .Where(h => h.Id == hostId && h.Status != HostStatus.Revoked && h.PresenceVersion < version)
            .ExecuteUpdateAsync(s => s
                .SetProperty(h => h.Status, HostStatus.Offline)
                .SetProperty(h => h.PresenceVersion, version)
                .SetProperty(h => h.StaleAfter, (DateTime?)null), ct);
    }

    /// <summary>
    /// A heartbeat of the current connection moves the stale deadline and brings a stale host back
    /// online; one of a newer connection whose status and hello were lost also counts as online
    /// (heartbeats only come from a live connection); one of an older connection changes nothing.
    /// </summary>
    public static async Task RecordHeartbeatAsync(InventoryDbContext db, string hostId, long connectionSeq, DateTime at, CancellationToken ct)
    {
        var current = PresenceVersion.Online(connectionSeq);
        await db.Hosts
            .Where(h => h.Id == hostId && h.Status != HostStatus.Revoked
                && ((h.PresenceVersion == current && (h.LastSeenAt == null || h.LastSeenAt < at)) || h.PresenceVersion < current))
            .ExecuteUpdateAsync(s => s
                .SetProperty(h => h.Status, HostStatus.Online)
                .SetProperty(h => h.PresenceVersion, current)
                .SetProperty(h => h.LastSeenAt, at)
                .SetProperty(h => h.FirstSeenAt, h => h.FirstSeenAt ?? at)
                .SetProperty(h => h.StaleAfter, h => at.AddSeconds(3 * h.HeartbeatIntervalSeconds)), ct);
    }

    /// <summary>Online hosts whose heartbeats stopped while their connection looks open become stale.</summary>
    public static Task<int> MarkStaleAsync(InventoryDbContext db, DateTime now, CancellationToken ct) =>
        db.Hosts
            .Where(h => h.Status == HostStatus.Online && h.StaleAfter != null && h.StaleAfter < now)
            .ExecuteUpdateAsync(s => s.SetProperty(h => h.Status, HostStatus.Stale), ct);

    /// <summary>After a broker restart, hosts not heard from since are offline until they reconnect.</summary>
    public static Task<int> MarkDisconnectedBeforeAsync(InventoryDbContext db, DateTime brokerStartedAt, CancellationToken ct) =>
        db.Hosts
            .Where(h => (h.Status == HostStatus.Online || h.Status == HostStatus.Stale) && (h.LastSeenAt == null || h.LastSeenAt < brokerStartedAt))
            .ExecuteUpdateAsync(s => s.SetProperty(h => h.Status, HostStatus.Offline).SetProperty(h => h.StaleAfter, (DateTime?)null), ct);
}
