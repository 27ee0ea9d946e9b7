using System.Diagnostics.Metrics;
using ResticManager.Contracts;
using ResticManager.Notifications;
using ResticManager.Protocol;

namespace ResticManager.UnitTests.Notifications;

/// <summary>Conditions reported by agents and schedules: one alert while they last, one recovery when they end.</summary>
public sealed class EngineConditionTests : IAsyncLifetime
{
    readonly TempDirectory data = new("rm-notify-conditions");
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
    public async Task An_outdated_agent_is_one_alert_until_a_current_verdict_recovers_it()
    {
        var channelId = await host.AddChannelAsync("agents");
        await host.AddRuleAsync([NotificationEvent.AgentOutdated], [channelId]);
        var hostId = EngineHost.NewHostId();
        Task AssessedAsync(string version, bool outdated)
        {
            // Time passes between two verdicts, as it does outside tests (delivery ids are time-ordered).
            clock.Advance(TimeSpan.FromSeconds(1));
            return host.DeliverAsync<AgentVersionAssessedConsumer, AgentVersionAssessed>(
                new AgentVersionAssessed(hostId, Guid.NewGuid().ToString("N"), "nas", version, ProtocolVersion.MaxSupported,
                    AgentVersionPolicy.Shipped, ProtocolVersion.MaxSupported, outdated, clock.GetUtcNow()));
        }

        await AssessedAsync("0.0.1", outdated: true);
        await AssessedAsync("0.0.2", outdated: true);
        await AssessedAsync(AgentVersionPolicy.Shipped, outdated: false);
        await AssessedAsync(AgentVersionPolicy.Shipped, outdated: false);

        await host.SettledAsync(channelId, 2);
        var sent = channel.Delivered("agents").OrderBy(n => n.Id, StringComparer.Ordinal).ToList();
        Assert.Equal([(false, NotificationSeverity.Warning), (true, NotificationSeverity.Resolved)], sent.Select(n => (n.Items[0].Recovery, n.Severity)));
        Assert.Contains("0.0.1", sent[0].Title, StringComparison.Ordinal);
        Assert.Equal(AgentVersionPolicy.Shipped, (await host.WatchedHostAsync(hostId))!.AgentVersion);
    }

    [Fact]
    public async Task A_lock_and_a_failed_check_reported_by_stats_alert_once_and_recover_when_cleared()
    {
        var channelId = await host.AddChannelAsync("repo");
        await host.AddRuleAsync([NotificationEvent.RepositoryLocked, NotificationEvent.CheckFailed], [channelId]);
        var hostId = EngineHost.NewHostId();
        Task StatsAsync(bool locked, bool checkOk) => host.DeliverAsync<AgentRepositoryStatsReportedConsumer, AgentRepositoryStatsReported>(
            new AgentRepositoryStatsReported(hostId, new RepositoryStats(Guid.NewGuid().ToString("N"), null, clock.GetUtcNow(), 1, 1, clock.GetUtcNow(), checkOk, locked)),
            m => m.AgentId == hostId);

        await StatsAsync(locked: true, checkOk: false);
        await StatsAsync(locked: true, checkOk: false);
        await host.SettledAsync(channelId, 2);
        await StatsAsync(locked: false, checkOk: true);
        await StatsAsync(locked: false, checkOk: true);

        await host.SettledAsync(channelId, 4);
        var sent = channel.Delivered("repo").Select(n => (n.Items[0].Event, n.Items[0].Recovery)).ToHashSet();
        Assert.Equal(
            new HashSet<(NotificationEvent, bool)> { (NotificationEvent.RepositoryLocked, false), (NotificationEvent.CheckFailed, false), (NotificationEvent.RepositoryLocked, true), (NotificationEvent.CheckFailed, true) },
            sent);
    }

    [Fact]
    public async Task An_overdue_group_recovers_when_it_catches_up_and_a_digest_lists_alert_and_recovery_in_one_message()
    {
        var plain = await host.AddChannelAsync("plain");
        var digest = await host.AddChannelAsync("digested");
        await host.AddRuleAsync([NotificationEvent.GroupOverdue], [plain]);
        await host.AddRuleAsync([NotificationEvent.GroupOverdue], [digest], digestEvery: TimeSpan.FromMinutes(5));
        var hostId = EngineHost.NewHostId();

        var overdue = new SourceGroupOverdue(hostId, "g1", "photos", null, TimeSpan.FromDays(1), clock.GetUtcNow());
        await host.DeliverAsync<SourceGroupOverdueConsumer, SourceGroupOverdue>(overdue);
        await host.DeliverAsync<SourceGroupOverdueConsumer, SourceGroupOverdue>(overdue with { });
        clock.Advance(TimeSpan.FromMinutes(1));
        await host.DeliverAsync<SourceGroupCaughtUpConsumer, SourceGroupCaughtUp>(new SourceGroupCaughtUp(hostId, "g1", "photos", clock.GetUtcNow()));
        clock.Advance(TimeSpan.FromMinutes(5));
        await host.RunDueAsync();

        await host.SettledAsync(plain, 2);
        Assert.Equal([false, true], channel.Delivered("plain").OrderBy(n => n.Id, StringComparer.Ordinal).Select(n => n.Items[0].Recovery));
        var one = Assert.Single(await host.SettledAsync(digest, 1));
        Assert.Equal(2, one.ItemCount);
        var message = Assert.Single(channel.Delivered("digested"));
        Assert.Equal("2 notifications: 1 group overdue, 1 group caught up", message.Title);
        Assert.Equal(NotificationSeverity.Warning, message.Severity);
    }

    [Fact]
    public async Task Deliveries_are_counted_by_channel_kind_and_outcome()
    {
        var measured = new System.Collections.Concurrent.ConcurrentQueue<(long Value, string? Outcome)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == NotificationMetrics.MeterName && instrument.Name == "resticmanager.notification.deliveries")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string? outcome = null;
            string? kind = null;
            foreach (var tag in tags)
            {
                (outcome, kind) = tag.Key switch { "outcome" => (tag.Value as string, kind), "channel_kind" => (outcome, tag.Value as string), _ => (outcome, kind) };
            }

            if (kind == "webhook")
            {
                measured.Enqueue((value, outcome));
            }
        });
        listener.Start();
        var channelId = await host.AddChannelAsync("counted");
        await host.AddRuleAsync([NotificationEvent.JobStarted], [channelId]);

        await host.JobAsync(EngineHost.NewHostId(), "job-1", JobStatus.Running);
        await host.SettledAsync(channelId, 1);
        await Eventually.HoldsAsync(() => measured.Any(m => m.Outcome == "sent"), TimeSpan.FromSeconds(5), "a sent delivery is counted");
    }
}
