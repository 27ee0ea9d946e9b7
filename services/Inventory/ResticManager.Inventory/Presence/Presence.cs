using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;

namespace ResticManager.Inventory;

/// <summary>
/// Presence rules as conditional updates, ordered by <see cref="PresenceVersion"/>: an event applies
/// only when its version is newer than the stored one, so the result is the same whatever order or how
/// many times the events arrive. A revoked host never changes presence again. Every change of status
/// writes a <see cref="HostStateChanged"/> to the outbox in the same transaction (numbered by
/// <see cref="Host.StateVersion"/>), so the event goes out exactly when the change commits.
/// </summary>
public static class Presence
{
    public static Task<int> MarkOnlineAsync(InventoryDbContext db, string hostId, long connectionSeq, DateTime at, int heartbeatIntervalSeconds, CancellationToken ct)
    {
        var version = PresenceVersion.Online(connectionSeq);
        var staleAfter = at.AddSeconds(3 * heartbeatIntervalSeconds);
        return db.InTransactionAsync(() => ChangeAsync(db, hostId, HostStatus.Online, at,
            h => h.Status != HostStatus.Revoked && h.PresenceVersion < version,
            s => s
                .SetProperty(h => h.PresenceVersion, version)
                .SetProperty(h => h.LastSeenAt, at)
                .SetProperty(h => h.StaleAfter, staleAfter)
                .SetProperty(h => h.FirstSeenAt, h => h.FirstSeenAt ?? at), ct), ct);
    }

    public static Task<int> MarkOfflineAsync(InventoryDbContext db, string hostId, long connectionSeq, DateTime at, CancellationToken ct)
    {
        var version = PresenceVersion.Offline(connectionSeq);
        return db.InTransactionAsync(() => ChangeAsync(db, hostId, HostStatus.Offline, at,
            h => h.Status != HostStatus.Revoked && h.PresenceVersion < version,
            s => s
                .SetProperty(h => h.PresenceVersion, version)
                .SetProperty(h => h.StaleAfter, (DateTime?)null), ct), ct);
    }

    /// <summary>
    /// Status messages (online at connect, offline at disconnect or by the Last Will) of many hosts, as
    /// <see cref="MarkOnlineAsync"/> and <see cref="MarkOfflineAsync"/> give applied in turn, in one transaction:
    /// per host only the newest (by <see cref="PresenceVersion"/>) counts, since the others would not apply after
    /// it. A connection that came and went within the batch so announces only its end. The stale deadline of an
    /// online host follows its stored heartbeat interval.
    /// </summary>
    /// <returns>The hosts changed.</returns>
    public static Task<int> ApplyStatusesAsync(InventoryDbContext db, IEnumerable<PresenceStatus> statuses, CancellationToken ct)
    {
        var newest = statuses.GroupBy(s => s.HostId, StringComparer.Ordinal).Select(g => g.MaxBy(s => s.Version)).ToList();
        if (newest.Count == 0)
        {
            return Task.FromResult(0);
        }

        return db.InTransactionAsync(async () =>
        {
            var changed = 0;
            foreach (var status in newest)
            {
                changed += status.Online
                    ? await ChangeToOnlineAsync(db, status.HostId, status.ConnectionSeq, status.At, ct)
                    : await ChangeAsync(db, status.HostId, HostStatus.Offline, status.At,
                        h => h.Status != HostStatus.Revoked && h.PresenceVersion < status.Version,
                        s => s
                            .SetProperty(h => h.PresenceVersion, status.Version)
                            .SetProperty(h => h.StaleAfter, (DateTime?)null), ct);
            }

            return changed;
        }, ct);
    }

    /// <summary>
    /// Online on connection <paramref name="connectionSeq"/> unless a newer presence event was applied, the deadline
    /// from the stored heartbeat interval (a hello stores its interval first); call it inside the caller's
    /// <c>InTransactionAsync</c>, which writes the event.
    /// </summary>
    public static Task<int> ChangeToOnlineAsync(InventoryDbContext db, string hostId, long connectionSeq, DateTime at, CancellationToken ct)
    {
        var version = PresenceVersion.Online(connectionSeq);
        return ChangeAsync(db, hostId, HostStatus.Online, at,
            h => h.Status != HostStatus.Revoked && h.PresenceVersion < version,
            s => s
                .SetProperty(h => h.PresenceVersion, version)
                .SetProperty(h => h.LastSeenAt, at)
                .SetProperty(h => h.StaleAfter, h => at.AddSeconds(3 * h.HeartbeatIntervalSeconds))
                .SetProperty(h => h.FirstSeenAt, h => h.FirstSeenAt ?? at), ct);
    }

    /// <summary>
    /// A heartbeat of the current connection moves the stale deadline and brings a stale host back
    /// online; one of a newer connection whose status and hello were lost also counts as online
    /// (heartbeats only come from a live connection); one of an older connection changes nothing.
    /// </summary>
    public static async Task<int> RecordHeartbeatAsync(InventoryDbContext db, string hostId, long connectionSeq, DateTime at, CancellationToken ct)
    {
        var heartbeat = new Heartbeat(hostId, connectionSeq, at);
        // The common case, an online host's next heartbeat, changes no state and publishes nothing: one update, no transaction.
        var moved = await MoveDeadlineAsync(db, heartbeat, ct);
        if (moved > 0)
        {
            return moved;
        }

        return await db.InTransactionAsync(() => HeartbeatTransitionAsync(db, heartbeat, ct), ct);
    }

    /// <summary>
    /// A batch of heartbeats, as <see cref="RecordHeartbeatAsync"/> gives for each applied in turn, in one
    /// transaction (one commit, the costly part on SQLite): per host only the latest heartbeat of the newest
    /// connection counts (the others would change nothing after it); the deadline moves for every host the
    /// common case fits, and only the others take the transition path, with its event.
    /// </summary>
    /// <returns>The hosts changed.</returns>
    public static Task<int> RecordHeartbeatsAsync(InventoryDbContext db, IEnumerable<Heartbeat> heartbeats, CancellationToken ct)
    {
        var latest = Heartbeat.LatestPerHost(heartbeats);
        if (latest.Count == 0)
        {
            return Task.FromResult(0);
        }

        return db.InTransactionAsync(async () =>
        {
            var changed = 0;
            List<Heartbeat> missed = [];
            foreach (var heartbeat in latest)
            {
                if (await MoveDeadlineAsync(db, heartbeat, ct) > 0)
                {
                    changed++;
                }
                else
                {
                    missed.Add(heartbeat);
                }
            }

            foreach (var heartbeat in missed)
            {
                changed += await HeartbeatTransitionAsync(db, heartbeat, ct);
            }

            return changed;
        }, ct);
    }

    /// <summary>The heartbeat of an online host's current connection: the deadline moves, nothing else.</summary>
    static Task<int> MoveDeadlineAsync(InventoryDbContext db, Heartbeat heartbeat, CancellationToken ct)
    {
        var (hostId, _, at) = heartbeat;
        var current = PresenceVersion.Online(heartbeat.ConnectionSeq);
        return db.Hosts
            .Where(h => h.Id == hostId && h.Status == HostStatus.Online && h.PresenceVersion == current && (h.LastSeenAt == null || h.LastSeenAt < at))
            .ExecuteUpdateAsync(s => s
                .SetProperty(h => h.LastSeenAt, at)
                .SetProperty(h => h.StaleAfter, h => at.AddSeconds(3 * h.HeartbeatIntervalSeconds)), ct);
    }

    /// <summary>Any other heartbeat that applies: a stale host back, or a newer connection than the one known.</summary>
    static Task<int> HeartbeatTransitionAsync(InventoryDbContext db, Heartbeat heartbeat, CancellationToken ct)
    {
        var (hostId, _, at) = heartbeat;
        var current = PresenceVersion.Online(heartbeat.ConnectionSeq);
        return ChangeAsync(db, hostId, HostStatus.Online, at,
            h => h.Status != HostStatus.Revoked
                && ((h.PresenceVersion == current && (h.LastSeenAt == null || h.LastSeenAt < at)) || h.PresenceVersion < current),
            s => s
                .SetProperty(h => h.PresenceVersion, current)
                .SetProperty(h => h.LastSeenAt, at)
                .SetProperty(h => h.FirstSeenAt, h => h.FirstSeenAt ?? at)
                .SetProperty(h => h.StaleAfter, h => at.AddSeconds(3 * h.HeartbeatIntervalSeconds)), ct);
    }

    /// <summary>
    /// Online hosts whose heartbeats stopped while their connection looks open become stale: those whose deadline
    /// passed before <paramref name="cutoff"/>, which the sweeper holds back by the heartbeat intake's lag
    /// (<see cref="HeartbeatIntake.StaleCutoff"/>). Served by the (Status, StaleAfter) index: no scan of every host.
    /// </summary>
    public static Task<int> MarkStaleAsync(InventoryDbContext db, DateTime cutoff, CancellationToken ct) =>
        EachAsync(db, HostStatus.Stale, cutoff, h => h.Status == HostStatus.Online && h.StaleAfter != null && h.StaleAfter < cutoff, _ => { }, ct);

    /// <summary>After a broker restart, hosts not heard from since are offline until they reconnect.</summary>
    public static Task<int> MarkDisconnectedBeforeAsync(InventoryDbContext db, DateTime brokerStartedAt, CancellationToken ct) =>
        EachAsync(db, HostStatus.Offline, brokerStartedAt,
            h => (h.Status == HostStatus.Online || h.Status == HostStatus.Stale) && (h.LastSeenAt == null || h.LastSeenAt < brokerStartedAt),
            s => s.SetProperty(h => h.StaleAfter, (DateTime?)null), ct);

    /// <summary>Revokes the host; call it inside the caller's <c>InTransactionAsync</c>, which writes its other events too.</summary>
    public static Task<int> MarkRevokedAsync(InventoryDbContext db, string hostId, DateTime at, CancellationToken ct) =>
        ChangeAsync(db, hostId, HostStatus.Revoked, at,
            h => h.Status != HostStatus.Revoked,
            s => s.SetProperty(h => h.RevokedAt, at).SetProperty(h => h.StaleAfter, (DateTime?)null), ct);

    /// <summary>Hosts changed together by <see cref="EachAsync"/> in one transaction: a sweep after an outage commits a few times, not once per host.</summary>
    const int HostsPerTransaction = 200;

    /// <summary>One event per host, so each host's change is announced once with its own version; a transaction per chunk of hosts.</summary>
    static async Task<int> EachAsync(
        InventoryDbContext db, HostStatus to, DateTime at, Expression<Func<Host, bool>> applies, Action<UpdateSettersBuilder<Host>> set, CancellationToken ct)
    {
        var hostIds = await db.Hosts.AsNoTracking().Where(applies).Select(h => h.Id).ToListAsync(ct);
        var count = 0;
        foreach (var chunk in hostIds.Chunk(HostsPerTransaction))
        {
            count += await db.InTransactionAsync(async () =>
            {
                var changed = 0;
                foreach (var hostId in chunk)
                {
                    changed += await ChangeAsync(db, hostId, to, at, applies, set, ct);
                }

                return changed;
            }, ct);
        }

        return count;
    }

    /// <summary>
    /// Applies one presence rule to one host and, when it changes the status, adds its event to the
    /// outbox. The update is also conditional on the status and state version just read (another
    /// replica may change the host in between on SQL Server): if that changed, it reads again, so the
    /// previous state and the version in the event are exactly the ones this update replaced.
    /// </summary>
    static async Task<int> ChangeAsync(
        InventoryDbContext db, string hostId, HostStatus to, DateTime at, Expression<Func<Host, bool>> applies, Action<UpdateSettersBuilder<Host>> set, CancellationToken ct)
    {
        while (true)
        {
            var seen = await db.Hosts.AsNoTracking().Where(h => h.Id == hostId)
                .Select(h => new { h.Hostname, h.Status, h.StateVersion }).FirstOrDefaultAsync(ct);
            if (seen is null)
            {
                return 0;
            }

            var transition = seen.Status != to;
            var changed = await db.Hosts
                .Where(h => h.Id == hostId && h.Status == seen.Status && h.StateVersion == seen.StateVersion)
                .Where(applies)
                .ExecuteUpdateAsync(s =>
                {
                    set(s);
                    if (transition)
                    {
                        s.SetProperty(h => h.Status, to).SetProperty(h => h.StateVersion, seen.StateVersion + 1);
                    }
                }, ct);
            if (changed > 0)
            {
                if (transition)
                {
                    db.AddToOutbox(new HostStateChanged(hostId, seen.Hostname, StateOf(to), StateOf(seen.Status), seen.StateVersion + 1, at.AsUtc()));
                }

                return changed;
            }

            var moved = await db.Hosts.AnyAsync(h => h.Id == hostId && (h.Status != seen.Status || h.StateVersion != seen.StateVersion), ct);
            if (!moved)
            {
                return 0;
            }
        }
    }

    internal static HostState StateOf(HostStatus status) => status switch
    {
        HostStatus.Pending => HostState.Pending,
        HostStatus.Online => HostState.Online,
        HostStatus.Stale => HostState.Stale,
        HostStatus.Offline => HostState.Offline,
        HostStatus.Revoked => HostState.Revoked,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };
}
