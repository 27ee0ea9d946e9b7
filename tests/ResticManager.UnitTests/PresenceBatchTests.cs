using System.Data.Common;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;
using ResticManager.Inventory;

namespace ResticManager.UnitTests;

/// <summary>A batch of heartbeats gives what applying each in turn gives, in one commit.</summary>
public sealed class PresenceBatchTests : IAsyncLifetime
{
    SqliteTestDatabase<InventorySqliteDbContext> database = null!;
    InventoryDbContext db = null!;
    readonly CommitCounter commits = new();
    static readonly DateTime T0 = new(2026, 11, 30, 10, 0, 0, DateTimeKind.Utc);

    public async Task InitializeAsync()
    {
        database = await SqliteTestDatabase<InventorySqliteDbContext>.CreateAsync("inventory");
        db = new InventorySqliteDbContext(new DbContextOptionsBuilder<InventorySqliteDbContext>(database.Options).AddInterceptors(commits).Options);
        foreach (var id in new[] { "h1", "h2", "h3" })
        {
            db.Hosts.Add(new Host { Id = id, Hostname = $"{id}.example", Os = "linux", Arch = "amd64", CredentialHash = "x", Status = HostStatus.Pending, EnrolledAt = T0 });
        }

        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync()
    {
        await db.DisposeAsync();
        await database.DisposeAsync();
    }

    async Task<Host> Reload(string id) => await db.Hosts.AsNoTracking().SingleAsync(h => h.Id == id);

    async Task<List<HostStateChanged>> EventsAsync() =>
        [.. (await db.Set<OutboxMessage>().AsNoTracking().OrderBy(m => m.Id).ToListAsync())
            .Where(m => m.Type.StartsWith(typeof(HostStateChanged).FullName!, StringComparison.Ordinal))
            .Select(m => JsonSerializer.Deserialize<HostStateChanged>(m.Body)!)];

    [Fact]
    public async Task Duplicates_and_earlier_heartbeats_of_a_host_leave_the_latest()
    {
        await Presence.MarkOnlineAsync(db, "h1", 1, T0, 30, default);
        var latest = T0.AddSeconds(60);
        Assert.Equal(1, await Presence.RecordHeartbeatsAsync(db,
            [new("h1", 1, T0.AddSeconds(30)), new("h1", 1, latest), new("h1", 1, latest), new("h1", 1, T0.AddSeconds(45))], default));

        var host = await Reload("h1");
        Assert.Equal((HostStatus.Online, latest, latest.AddSeconds(90)), (host.Status, host.LastSeenAt, host.StaleAfter));
        Assert.Single(await EventsAsync());

        // The same batch again (a redelivery) changes nothing.
        Assert.Equal(0, await Presence.RecordHeartbeatsAsync(db, [new("h1", 1, latest)], default));
    }

    [Fact]
    public async Task The_newest_connection_wins_whatever_the_order_and_an_older_one_changes_nothing()
    {
        await Presence.MarkOnlineAsync(db, "h1", 2, T0, 30, default);
        // Connection 3's status and hello are not applied yet; its heartbeat came before a late one of connection 2.
        await Presence.RecordHeartbeatsAsync(db, [new("h1", 3, T0.AddSeconds(10)), new("h1", 2, T0.AddSeconds(20)), new("h1", 1, T0.AddSeconds(30))], default);

        var host = await Reload("h1");
        Assert.Equal((HostStatus.Online, PresenceVersion.Online(3), T0.AddSeconds(10)), (host.Status, host.PresenceVersion, host.LastSeenAt));

        await Presence.RecordHeartbeatsAsync(db, [new("h1", 2, T0.AddSeconds(40))], default);
        Assert.Equal(T0.AddSeconds(10), (await Reload("h1")).LastSeenAt);
    }

    [Fact]
    public async Task A_stale_host_comes_back_with_its_event_while_the_others_only_move_their_deadline_in_the_same_commit()
    {
        await Presence.MarkOnlineAsync(db, "h1", 1, T0, 10, default);
        await Presence.MarkOnlineAsync(db, "h2", 1, T0.AddSeconds(25), 10, default);
        Assert.Equal(1, await Presence.MarkStaleAsync(db, T0.AddSeconds(31), default));
        Assert.Equal(HostStatus.Stale, (await Reload("h1")).Status);
        var before = commits.Count;

        Assert.Equal(2, await Presence.RecordHeartbeatsAsync(db, [new("h1", 1, T0.AddSeconds(32)), new("h2", 1, T0.AddSeconds(33))], default));

        Assert.Equal(1, commits.Count - before);
        Assert.Equal((HostStatus.Online, T0.AddSeconds(32)), ((await Reload("h1")).Status, (await Reload("h1")).LastSeenAt));
        Assert.Equal((HostStatus.Online, T0.AddSeconds(33 + 3 * 30)), ((await Reload("h2")).Status, (await Reload("h2")).StaleAfter));
        var events = await EventsAsync();
        Assert.Equal((HostState.Online, HostState.Stale, 3L), (events[^1].State, events[^1].Previous, events[^1].Version));
        Assert.Equal(4, events.Count);
    }

    [Fact]
    public async Task A_revoked_host_is_untouched_and_the_rest_of_the_batch_applies()
    {
        await Presence.MarkOnlineAsync(db, "h1", 1, T0, 30, default);
        await Presence.MarkOnlineAsync(db, "h2", 1, T0, 30, default);
        await db.InTransactionAsync(() => Presence.MarkRevokedAsync(db, "h1", T0.AddSeconds(5), default), default);
        var revoked = await Reload("h1");

        Assert.Equal(1, await Presence.RecordHeartbeatsAsync(db, [new("h1", 1, T0.AddSeconds(10)), new("h1", 2, T0.AddSeconds(11)), new("h2", 1, T0.AddSeconds(12))], default));

        var host = await Reload("h1");
        Assert.Equal((HostStatus.Revoked, revoked.PresenceVersion, revoked.LastSeenAt, revoked.StateVersion), (host.Status, host.PresenceVersion, host.LastSeenAt, host.StateVersion));
        Assert.Equal(T0.AddSeconds(12), (await Reload("h2")).LastSeenAt);
    }

    [Fact]
    public async Task Heartbeats_of_unknown_hosts_are_ignored()
    {
        Assert.Equal(0, await Presence.RecordHeartbeatsAsync(db, [new("gone", 1, T0)], default));
        Assert.Equal(0, await Presence.RecordHeartbeatsAsync(db, [], default));
    }

    sealed class CommitCounter : DbTransactionInterceptor
    {
        int count;

        public int Count => Volatile.Read(ref count);

        public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref count);
            return Task.CompletedTask;
        }
    }
}
