using Microsoft.EntityFrameworkCore;
using ResticManager.Inventory;
using ResticManager.ServiceDefaults;

namespace ResticManager.UnitTests;

/// <summary>Presence on a real SQLite file: events applied in any order, any number of times, give one answer.</summary>
public sealed class PresenceTests : IAsyncLifetime
{
    SqliteTestDatabase<InventorySqliteDbContext> database = null!;
    InventoryDbContext db = null!;
    static readonly DateTime T0 = new(2026, 11, 23, 10, 0, 0, DateTimeKind.Utc);

    public async Task InitializeAsync()
    {
        database = await SqliteTestDatabase<InventorySqliteDbContext>.CreateAsync("inventory");
        db = database.Open();
        db.Hosts.Add(new Host { Id = "h1", Hostname = "h1", Os = "linux", Arch = "amd64", CredentialHash = "x", Status = HostStatus.Pending, EnrolledAt = T0 });
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync()
    {
        await db.DisposeAsync();
        await database.DisposeAsync();
    }

    async Task<Host> Reload() => await db.Hosts.AsNoTracking().SingleAsync(h => h.Id == "h1");

    [Fact]
    public async Task The_offline_of_an_old_connection_never_overrides_the_online_of_a_newer_one()
    {
        await Presence.MarkOnlineAsync(db, "h1", 2, T0, 30, default);
        await Presence.MarkOfflineAsync(db, "h1", 1, T0, default);
        Assert.Equal(HostStatus.Online, (await Reload()).Status);

        await Presence.MarkOfflineAsync(db, "h1", 2, T0, default);
        await Presence.MarkOnlineAsync(db, "h1", 2, T0, 30, default);
        Assert.Equal(HostStatus.Offline, (await Reload()).Status);

        await Presence.MarkOnlineAsync(db, "h1", 3, T0.AddMinutes(1), 30, default);
        Assert.Equal(HostStatus.Online, (await Reload()).Status);
    }

    [Fact]
    public async Task Duplicates_change_nothing_and_first_seen_is_kept()
    {
        await Presence.MarkOnlineAsync(db, "h1", 1, T0, 30, default);
        await Presence.MarkOnlineAsync(db, "h1", 1, T0.AddMinutes(5), 30, default);
        var host = await Reload();
        Assert.Equal(T0, host.FirstSeenAt);
        Assert.Equal(T0, host.LastSeenAt);
    }

    [Fact]
    public async Task Missed_heartbeats_make_an_online_host_stale_and_the_next_heartbeat_brings_it_back()
    {
        await Presence.MarkOnlineAsync(db, "h1", 1, T0, 10, default);
        Assert.Equal(0, await Presence.MarkStaleAsync(db, T0.AddSeconds(29), default));
        Assert.Equal(1, await Presence.MarkStaleAsync(db, T0.AddSeconds(31), default));
        Assert.Equal(HostStatus.Stale, (await Reload()).Status);

        // A heartbeat of an older connection does not revive it.
        await Presence.RecordHeartbeatAsync(db, "h1", 0, T0.AddSeconds(32), default);
        Assert.Equal(HostStatus.Stale, (await Reload()).Status);

        await Presence.RecordHeartbeatAsync(db, "h1", 1, T0.AddSeconds(33), default);
        var host = await Reload();
        Assert.Equal(HostStatus.Online, host.Status);
        Assert.Equal(T0.AddSeconds(33), host.LastSeenAt);
    }

    [Fact]
    public async Task A_revoked_host_stays_revoked_whatever_arrives()
    {
        await db.Hosts.Where(h => h.Id == "h1").ExecuteUpdateAsync(s => s.SetProperty(h => h.Status, HostStatus.Revoked));
        await Presence.MarkOnlineAsync(db, "h1", 9, T0, 30, default);
        await Presence.RecordHeartbeatAsync(db, "h1", 9, T0, default);
        await Presence.MarkOfflineAsync(db, "h1", 9, T0, default);
        Assert.Equal(HostStatus.Revoked, (await Reload()).Status);
    }

    [Fact]
    public async Task A_broker_restart_marks_hosts_not_heard_from_since_offline()
    {
        await Presence.MarkOnlineAsync(db, "h1", 1, T0, 30, default);
        Assert.Equal(0, await Presence.MarkDisconnectedBeforeAsync(db, T0.AddSeconds(-1), default));
        Assert.Equal(1, await Presence.MarkDisconnectedBeforeAsync(db, T0.AddSeconds(1), default));
        Assert.Equal(HostStatus.Offline, (await Reload()).Status);
    }
}
