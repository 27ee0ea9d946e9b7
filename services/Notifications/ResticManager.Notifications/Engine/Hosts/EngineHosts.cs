using Microsoft.EntityFrameworkCore;

namespace ResticManager.Notifications;

/// <summary>The host and group projections as the engine reads and keeps them.</summary>
public static class EngineHosts
{
    /// <summary>The tracked host row, added when this is the first event about the host (a concurrent first insert loses on the key and its consumer retries).</summary>
    public static async Task<(WatchedHost Host, bool Added)> GetOrAddAsync(this NotificationsDbContext db, string hostId, CancellationToken ct)
    {
        if (await db.Hosts.FindAsync([hostId], ct) is { } host)
        {
            return (host, false);
        }

        host = new WatchedHost { Id = hostId };
        db.Hosts.Add(host);
        return (host, true);
    }

    public static async Task<string?> HostnameAsync(this NotificationsDbContext db, string hostId, CancellationToken ct) =>
        (await db.Hosts.FindAsync([hostId], ct))?.Hostname;

    public static async Task<string?> GroupNameAsync(this NotificationsDbContext db, string hostId, string? sourceGroupId, CancellationToken ct) =>
        sourceGroupId is null ? null : (await db.Set<WatchedGroup>().FindAsync([hostId, sourceGroupId], ct))?.Name;
}
