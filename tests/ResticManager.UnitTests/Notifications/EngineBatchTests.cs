using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;
using ResticManager.Notifications;
using ResticManager.Protocol;

namespace ResticManager.UnitTests.Notifications;

/// <summary>
/// Presence changes and hellos arrive by the thousand when a fleet connects or reconnects, and the engine takes
/// them in batches (one transaction each): published back to back here, so most share a batch, and each must
/// still mean what it meant alone.
/// </summary>
public sealed class EngineBatchTests : IAsyncLifetime
{
    readonly TempDirectory data = new("rm-notify-batch");
    readonly ManualClock clock = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
    readonly EngineRecordingChannel channel = new();
    EngineHost host = null!;

    public async Task InitializeAsync() => host = await EngineHost.StartAsync(data, clock, channel);

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        data.Dispose();
    }

    [Fact]
    public async Task A_reconnect_storm_alerts_and_recovers_every_host_once_and_a_host_revoked_in_it_forgets_its_alert()
    {
        var channelId = await host.AddChannelAsync("storm");
        await host.AddRuleAsync([NotificationEvent.HostOffline, NotificationEvent.HostBack], [channelId]);
        var flapping = Enumerable.Range(0, 30).Select(_ => EngineHost.NewHostId()).ToList();
        var revoked = EngineHost.NewHostId();
        var at = clock.GetUtcNow();
        var messages = new List<HostStateChanged>();
        foreach (var id in flapping.Append(revoked))
        {
            messages.Add(new HostStateChanged(id, "h-" + id, HostState.Online, HostState.Pending, 2, at));
        }

        foreach (var id in flapping)
        {
            // Back before going: a swapped pair inside a batch is still applied in version order.
            messages.Add(new HostStateChanged(id, "h-" + id, HostState.Online, HostState.Offline, 4, at.AddSeconds(2)));
            messages.Add(new HostStateChanged(id, "h-" + id, HostState.Offline, HostState.Online, 3, at.AddSeconds(1)));
        }

        messages.Add(new HostStateChanged(revoked, "h-" + revoked, HostState.Offline, HostState.Online, 3, at.AddSeconds(1)));
        messages.Add(new HostStateChanged(revoked, "h-" + revoked, HostState.Revoked, HostState.Offline, 4, at.AddSeconds(2)));
        // Late and ignored: revoked is for good.
        messages.Add(new HostStateChanged(revoked, "h-" + revoked, HostState.Online, HostState.Offline, 5, at.AddSeconds(3)));

        await PublishAllAsync<HostStateChangedConsumer, HostStateChanged>(messages);

        var rows = await host.SettledAsync(channelId, flapping.Count * 2 + 1);
        foreach (var id in flapping)
        {
            // One alert and its recovery (the manual clock stands still, so delivery ids do not tell their order).
            Assert.Equal([(NotificationEvent.HostOffline, NotificationSeverity.Critical), (NotificationEvent.HostBack, NotificationSeverity.Resolved)],
                channel.Delivered("storm").Where(n => n.Items[0].HostId == id).Select(n => (n.Items[0].Event, n.Severity)).Order());
            Assert.Equal(HostState.Online, (await host.WatchedHostAsync(id))!.State);
        }

        Assert.Single(rows, r => r.HostId == revoked);
        Assert.Equal(HostState.Revoked, (await host.WatchedHostAsync(revoked))!.State);
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        Assert.Equal(0, await db.Set<OpenAlert>().CountAsync());
    }

    [Fact]
    public async Task A_verdict_delivered_twice_in_a_batch_is_applied_once_beside_the_other_hosts_verdicts()
    {
        var channelId = await host.AddChannelAsync("agents");
        await host.AddRuleAsync([NotificationEvent.AgentOutdated], [channelId]);
        var hosts = Enumerable.Range(0, 20).Select(_ => EngineHost.NewHostId()).ToList();
        var now = clock.GetUtcNow();
        AgentVersionAssessed Outdated(string id, string eventId) =>
            new(id, eventId, "nas-" + id, "0.0.1", ProtocolVersion.MaxSupported, AgentVersionPolicy.Shipped, ProtocolVersion.MaxSupported, true, now);
        var verdicts = hosts.Select(id => Outdated(id, Guid.NewGuid().ToString("N"))).ToList();
        // The first host's verdict comes again (an outbox replay, a bus redelivery) right behind the first copy.
        verdicts.Insert(1, verdicts[0] with { });

        await PublishAllAsync<AgentVersionAssessedConsumer, AgentVersionAssessed>(verdicts);

        await host.SettledAsync(channelId, hosts.Count);
        Assert.Equal(hosts.Order(StringComparer.Ordinal), channel.Delivered("agents").Select(n => n.Items[0].HostId!).Order(StringComparer.Ordinal));
        foreach (var id in hosts)
        {
            Assert.Equal("0.0.1", (await host.WatchedHostAsync(id))!.AgentVersion);
        }

        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        Assert.Equal(hosts.Count, await db.Set<ProcessedEvent>().CountAsync(p => hosts.Contains(p.AgentId)));
    }

    /// <summary>Publishes every message back to back, in order, and returns once the batch consumer has taken them all.</summary>
    async Task PublishAllAsync<TConsumer, TMessage>(IReadOnlyList<TMessage> messages) where TConsumer : class, IConsumer where TMessage : class
    {
        var consumed = host.Harness.GetConsumerHarness<TConsumer>().Consumed;
        int Taken() => consumed.Select<Batch<TMessage>>(m => m.Exception is null).Sum(m => m.Context.Message.Length);
        var before = Taken();
        foreach (var message in messages)
        {
            await host.Harness.Bus.Publish(message);
        }

        await Eventually.HoldsAsync(() => Taken() >= before + messages.Count, TimeSpan.FromSeconds(30), $"{typeof(TConsumer).Name} takes {messages.Count} messages", TimeSpan.FromMilliseconds(5));
        Assert.False(consumed.Select<Batch<TMessage>>(m => m.Exception is not null).Any(), $"{typeof(TConsumer).Name} failed on a batch");
    }
}
