using MassTransit;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;
using ResticManager.Inventory;
using ResticManager.ServiceDefaults;

namespace ResticManager.UnitTests;

/// <summary>
/// The inventory service alone on MassTransit's in-memory test harness with its real consumers, definitions,
/// outbox and SQLite file: a fleet connecting and heartbeating is applied in batches, and every host ends online
/// with its latest heartbeat and exactly one published change.
/// </summary>
public sealed class InventoryBatchIntakeTests : IAsyncLifetime
{
    const int Hosts = 300;
    static readonly DateTimeOffset T0 = new(2026, 11, 30, 10, 0, 0, TimeSpan.Zero);
    readonly TempDirectory data = new("rm-inventory-batch");
    IHost host = null!;

    ITestHarness Harness => host.Services.GetTestHarness();

    public async Task InitializeAsync()
    {
        host = await InventoryHarnessHost.StartAsync(data.Path);

        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<InventoryDbContext>();
        for (var i = 0; i < Hosts; i++)
        {
            db.Hosts.Add(new ResticManager.Inventory.Host { Id = HostId(i), Hostname = HostId(i), Os = "linux", Arch = "amd64", CredentialHash = "x", Status = HostStatus.Pending, EnrolledAt = T0.UtcDateTime });
        }

        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        data.Dispose();
    }

    static string HostId(int i) => $"host-{i:D4}";

    async Task<bool> AllHostsAsync(System.Linq.Expressions.Expression<Func<ResticManager.Inventory.Host, bool>> condition)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<InventoryDbContext>().Hosts.CountAsync(condition) == Hosts;
    }

    [Fact]
    public async Task A_fleet_connecting_and_heartbeating_is_applied_in_batches_each_host_online_with_its_latest_heartbeat()
    {
        var ids = Enumerable.Range(0, Hosts).Select(HostId).ToList();
        await Harness.Bus.PublishBatch(ids.Select(id => new AgentPresenceChanged(id, true, 1, T0, "connected")));
        await Harness.Bus.PublishBatch(ids.Select(id => new AgentHelloReceived(id, $"{id}:hello", 1, 1, id, "linux", "amd64", "1.0", "0.18", 10, T0, T0)));
        // Heartbeats after the connection is known, so each deadline follows the hello's interval.
        await Eventually.HoldsAsync(() => AllHostsAsync(h => h.Status == HostStatus.Online && h.HeartbeatIntervalSeconds == 10), TimeSpan.FromSeconds(60), "every host online with its interval");

        var latest = T0.AddSeconds(20);
        foreach (var at in new[] { T0.AddSeconds(10), latest, T0.AddSeconds(5) })
        {
            await Harness.Bus.PublishBatch(ids.Select(id => new AgentHeartbeatReceived(id, $"{id}:{at.Ticks}", 1, at, at)));
        }

        await Eventually.HoldsAsync(() => AllHostsAsync(h => h.Status == HostStatus.Online && h.LastSeenAt == latest.UtcDateTime && h.StaleAfter == latest.UtcDateTime.AddSeconds(30)),
            TimeSpan.FromSeconds(60), "every host online with its latest heartbeat");

        var heartbeatBatches = Harness.GetConsumerHarness<AgentHeartbeatReceivedConsumer>().Consumed.Select<Batch<AgentHeartbeatReceived>>().ToList();
        Assert.All(heartbeatBatches, b => Assert.Null(b.Exception));
        // MassTransit's default batch is 10 messages: larger ones show the definition's limits (and the endpoint's prefetch) apply.
        var largest = heartbeatBatches.Max(b => b.Context.Message.Length);
        Assert.True(largest > 10 && heartbeatBatches.Count < 3 * Hosts / 10, $"{3 * Hosts} heartbeats took {heartbeatBatches.Count} batches, the largest {largest}");
        await Eventually.HoldsAsync(() => Harness.Published.Select<HostStateChanged>().Count() >= Hosts, TimeSpan.FromSeconds(30), "the outbox publishes one change per host");
        Assert.Equal(Hosts, Harness.Published.Select<HostStateChanged>().Select(m => m.Context.Message.HostId).Distinct().Count());
        Assert.All(Harness.Published.Select<HostStateChanged>(), m => Assert.Equal((HostState.Online, HostState.Pending, 1L), (m.Context.Message.State, m.Context.Message.Previous, m.Context.Message.Version)));
    }
}
