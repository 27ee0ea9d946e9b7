using MassTransit;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;
using ResticManager.Inventory;
using ResticManager.Protocol;
using ResticManager.ServiceDefaults;

namespace ResticManager.UnitTests;

/// <summary>
/// The inventory alone on MassTransit's in-memory harness with its real consumers, outbox and SQLite file: a hello
/// publishes <see cref="AgentVersionAssessed"/> when it changes the verdict on the agent's version (first hello, a
/// new version, the verdict turning over), and a reconnect with nothing new publishes nothing.
/// </summary>
public sealed class AgentVersionAssessmentTests : IAsyncLifetime
{
    const string HostId = "host-versions";
    static readonly DateTimeOffset T0 = new(2026, 11, 30, 10, 0, 0, TimeSpan.Zero);
    readonly TempDirectory data = new("rm-inventory-versions");
    IHost host = null!;
    long connection;

    ITestHarness Harness => host.Services.GetTestHarness();

    public async Task InitializeAsync()
    {
        host = await InventoryHarnessHost.StartAsync(data.Path);

        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<InventoryDbContext>();
        db.Hosts.Add(new ResticManager.Inventory.Host { Id = HostId, Hostname = "nas", Os = "linux", Arch = "amd64", CredentialHash = "x", Status = HostStatus.Pending, EnrolledAt = T0.UtcDateTime });
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        data.Dispose();
    }

    List<AgentVersionAssessed> Published() => Harness.Published.Select<AgentVersionAssessed>().Select(m => m.Context.Message).OrderBy(m => m.At).ToList();

    /// <summary>A new connection's hello, once the inventory has recorded it.</summary>
    async Task HelloAsync(string version, int protocol = ProtocolVersion.MaxSupported)
    {
        var seq = ++connection;
        var at = T0.AddMinutes(seq);
        await Harness.Bus.Publish(new AgentPresenceChanged(HostId, true, seq, at, "connected"));
        await Harness.Bus.Publish(new AgentHelloReceived(HostId, $"hello-{seq}", protocol, seq, "nas", "linux", "amd64", version, "0.18.0", 30, at, at));
        await Eventually.HoldsAsync(async () =>
        {
            await using var scope = host.Services.CreateAsyncScope();
            var stored = await scope.ServiceProvider.GetRequiredService<InventoryDbContext>().Hosts.AsNoTracking().SingleAsync(h => h.Id == HostId);
            return stored.LastSeenAt == at.UtcDateTime && stored.AgentVersion == version && stored.ProtocolVersion == protocol;
        }, TimeSpan.FromSeconds(30), $"hello {seq} recorded");
    }

    /// <summary>Waits for <paramref name="count"/> verdicts, then gives the outbox one more of its polls to show there are no more.</summary>
    async Task<List<AgentVersionAssessed>> PublishedAsync(int count)
    {
        await Eventually.HoldsAsync(() => Task.FromResult(Published().Count >= count), TimeSpan.FromSeconds(30), $"{count} verdicts published");
        // A later, unwanted verdict would be in the outbox table by now (same transaction as the hello): drained means none.
        await Eventually.HoldsAsync(async () =>
        {
            await using var scope = host.Services.CreateAsyncScope();
            return !await scope.ServiceProvider.GetRequiredService<InventoryDbContext>().Set<OutboxMessage>().AnyAsync();
        }, TimeSpan.FromSeconds(30), "the outbox drained");
        return Published();
    }

    [Fact]
    public async Task A_hello_publishes_a_verdict_only_when_it_changes_it()
    {
        await HelloAsync("0.0.1");
        var first = Assert.Single(await PublishedAsync(1));
        Assert.Equal((HostId, "hello-1", "nas", "0.0.1", ProtocolVersion.MaxSupported, AgentVersionPolicy.Shipped, ProtocolVersion.MaxSupported, true),
            (first.AgentId, first.EventId, first.Hostname, first.AgentVersion, first.ProtocolVersion, first.ShippedAgentVersion, first.ShippedProtocolVersion, first.Outdated));

        // A reconnect of the same agent: nothing new to say.
        await HelloAsync("0.0.1");
        Assert.Single(await PublishedAsync(1));

        // Still outdated, but another version: said again, with it.
        await HelloAsync("0.0.2");
        Assert.Equal([("0.0.1", true), ("0.0.2", true)], (await PublishedAsync(2)).Select(m => (m.AgentVersion, m.Outdated)));

        // Upgraded by the operator.
        await HelloAsync(AgentVersionPolicy.Shipped);
        Assert.Equal((AgentVersionPolicy.Shipped, false), (await PublishedAsync(3)).Select(m => (m.AgentVersion, m.Outdated)).Last());
        await HelloAsync(AgentVersionPolicy.Shipped);
        Assert.Equal(3, (await PublishedAsync(3)).Count);

        // Then an older protocol from the same version.
        await HelloAsync(AgentVersionPolicy.Shipped, ProtocolVersion.MaxSupported - 1);
        Assert.Equal((ProtocolVersion.MaxSupported - 1, true), (await PublishedAsync(4)).Select(m => (m.ProtocolVersion, m.Outdated)).Last());
    }

    [Fact]
    public async Task The_verdict_is_published_again_when_it_turned_over_with_the_same_agent_version()
    {
        await HelloAsync(AgentVersionPolicy.Shipped);
        Assert.False(Assert.Single(await PublishedAsync(1)).Outdated);

        // As after a server upgrade: the last verdict published no longer holds for the agent's unchanged version.
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<InventoryDbContext>().Hosts.Where(h => h.Id == HostId)
                .ExecuteUpdateAsync(s => s.SetProperty(h => h.AgentOutdatedAnnounced, true));
        }

        await HelloAsync(AgentVersionPolicy.Shipped);
        Assert.Equal([false, false], (await PublishedAsync(2)).Select(m => m.Outdated));
    }
}
