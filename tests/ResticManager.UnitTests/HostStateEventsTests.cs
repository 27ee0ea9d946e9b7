using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;
using ResticManager.Inventory;

namespace ResticManager.UnitTests;

/// <summary>Every presence transition of a host, and only a transition, writes one <see cref="HostStateChanged"/> with a growing version in its transaction.</summary>
public sealed class HostStateEventsTests : IAsyncLifetime
{
    SqliteTestDatabase<InventorySqliteDbContext> database = null!;
    InventoryDbContext db = null!;
    static readonly DateTime T0 = new(2026, 11, 29, 10, 0, 0, DateTimeKind.Utc);

    public async Task InitializeAsync()
    {
        database = await SqliteTestDatabase<InventorySqliteDbContext>.CreateAsync("inventory");
        db = database.Open();
        db.Hosts.Add(NewHost("h1"));
        db.Hosts.Add(NewHost("h2"));
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync()
    {
        await db.DisposeAsync();
        await database.DisposeAsync();
    }

    static Host NewHost(string id) => new()
    {
        Id = id, Hostname = $"{id}.example", Os = "linux", Arch = "amd64", Status = HostStatus.Pending, EnrolledAt = T0, CredentialHash = "x",
    };

    async Task<List<HostStateChanged>> EventsAsync() =>
        [.. (await db.Set<OutboxMessage>().AsNoTracking().OrderBy(m => m.Id).ToListAsync())
            .Where(m => m.Type.StartsWith(typeof(HostStateChanged).FullName!, StringComparison.Ordinal))
            .Select(m => JsonSerializer.Deserialize<HostStateChanged>(m.Body)!)];

    [Fact]
    public async Task Online_offline_online_publishes_three_changes_with_growing_versions_and_the_previous_state()
    {
        await Presence.MarkOnlineAsync(db, "h1", 1, T0, 30, default);
        await Presence.MarkOfflineAsync(db, "h1", 1, T0.AddMinutes(1), default);
        await Presence.MarkOnlineAsync(db, "h1", 2, T0.AddMinutes(2), 30, default);

        var events = await EventsAsync();
        Assert.Equal(
            [(HostState.Online, HostState.Pending, 1L, T0), (HostState.Offline, HostState.Online, 2L, T0.AddMinutes(1)), (HostState.Online, HostState.Offline, 3L, T0.AddMinutes(2))],
            events.Select(e => (e.State, e.Previous, e.Version, e.At.UtcDateTime)));
        Assert.All(events, e => Assert.Equal(("h1", "h1.example"), (e.HostId, e.Hostname)));
        Assert.Equal(3, (await db.Hosts.AsNoTracking().SingleAsync(h => h.Id == "h1")).StateVersion);
    }

    [Fact]
    public async Task Repeated_older_and_same_state_presence_events_publish_nothing()
    {
        await Presence.MarkOnlineAsync(db, "h1", 2, T0, 30, default);
        Assert.Single(await EventsAsync());

        await Presence.MarkOnlineAsync(db, "h1", 2, T0, 30, default);          // the same event again
        await Presence.MarkOfflineAsync(db, "h1", 1, T0, default);             // an older connection going down
        await Presence.MarkOnlineAsync(db, "h1", 3, T0.AddMinutes(1), 30, default); // online → online on a new connection
        await Presence.RecordHeartbeatAsync(db, "h1", 3, T0.AddMinutes(2), default); // a heartbeat of an online host

        Assert.Single(await EventsAsync());
        var host = await db.Hosts.AsNoTracking().SingleAsync(h => h.Id == "h1");
        Assert.Equal((HostStatus.Online, 1L, T0.AddMinutes(2)), (host.Status, host.StateVersion, host.LastSeenAt));
    }

    [Fact]
    public async Task The_stale_sweep_publishes_stale_once_per_host_and_a_heartbeat_publishes_online()
    {
        await Presence.MarkOnlineAsync(db, "h1", 1, T0, 10, default);
        await Presence.MarkOnlineAsync(db, "h2", 1, T0, 10, default);
        Assert.Equal(2, await Presence.MarkStaleAsync(db, T0.AddSeconds(31), default));
        Assert.Equal(0, await Presence.MarkStaleAsync(db, T0.AddSeconds(40), default));

        var stale = (await EventsAsync()).Where(e => e.State == HostState.Stale).ToList();
        Assert.Equal(["h1", "h2"], stale.Select(e => e.HostId).Order());
        Assert.All(stale, e => Assert.Equal((HostState.Online, 2L, T0.AddSeconds(31)), (e.Previous, e.Version, e.At.UtcDateTime)));

        await Presence.RecordHeartbeatAsync(db, "h1", 1, T0.AddSeconds(41), default);
        var back = (await EventsAsync()).Last();
        Assert.Equal(("h1", HostState.Online, HostState.Stale, 3L), (back.HostId, back.State, back.Previous, back.Version));
        Assert.Equal(5, (await EventsAsync()).Count);
    }

    [Fact]
    public async Task A_broker_restart_publishes_offline_for_each_host_not_heard_from_since()
    {
        await Presence.MarkOnlineAsync(db, "h1", 1, T0, 30, default);
        await Presence.MarkOnlineAsync(db, "h2", 1, T0.AddMinutes(2), 30, default);
        Assert.Equal(1, await Presence.MarkDisconnectedBeforeAsync(db, T0.AddMinutes(1), default));

        var offline = (await EventsAsync()).Last();
        Assert.Equal(("h1", HostState.Offline, HostState.Online, 2L), (offline.HostId, offline.State, offline.Previous, offline.Version));
        Assert.Equal(3, (await EventsAsync()).Count);
    }

    [Fact]
    public async Task Revoking_publishes_revoked_once_and_nothing_changes_presence_after()
    {
        await Presence.MarkOnlineAsync(db, "h1", 1, T0, 30, default);
        Assert.Equal(1, await db.InTransactionAsync(() => Presence.MarkRevokedAsync(db, "h1", T0.AddMinutes(1), default), default));
        Assert.Equal(0, await db.InTransactionAsync(() => Presence.MarkRevokedAsync(db, "h1", T0.AddMinutes(2), default), default));
        await Presence.MarkOfflineAsync(db, "h1", 1, T0.AddMinutes(3), default);

        var events = await EventsAsync();
        Assert.Equal(2, events.Count);
        Assert.Equal((HostState.Revoked, HostState.Online, 2L, T0.AddMinutes(1)), (events[1].State, events[1].Previous, events[1].Version, events[1].At.UtcDateTime));
    }

    [Fact]
    public async Task Revoking_through_the_api_publishes_revoked_on_the_bus()
    {
        await using var server = await InProcessServer.StartAsync();
        await using var changes = await BusListener<HostStateChanged>.ListenAsync(server);
        var hostId = await server.EnrollHostAsync("state-events-revoked");

        using var revoked = await server.Api.DeleteAsync($"/api/hosts/{hostId}");
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);

        await changes.WaitForAsync(e => e.HostId == hostId && e.State == HostState.Revoked, "the revoke is published");
        var change = Assert.Single(changes.Messages, e => e.HostId == hostId);
        Assert.Equal(("state-events-revoked", HostState.Pending, 1L), (change.Hostname, change.Previous, change.Version));
    }
}
