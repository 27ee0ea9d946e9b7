using ResticManager.Contracts;
using ResticManager.Notifications;

namespace ResticManager.UnitTests.Notifications;

/// <summary>Bus events through the engine's real consumers and rules to deliveries, on a real SQLite file.</summary>
public sealed class EngineRuleTests : IAsyncLifetime
{
    readonly TempDirectory data = new("rm-notify-engine");
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
    public async Task A_failed_backup_is_one_delivery_naming_host_group_error_and_job_link_even_when_redelivered()
    {
        var channelId = await host.AddChannelAsync("ops");
        await host.AddRuleAsync([NotificationEvent.JobFailed], [channelId]);
        var hostId = EngineHost.NewHostId();
        await host.DeliverAsync<HostEnrolledConsumer, HostEnrolled>(new HostEnrolled(hostId, "web-1", clock.GetUtcNow()));
        await host.DeliverAsync<SourceGroupChangedConsumer, SourceGroupChanged>(new SourceGroupChanged(hostId, "g1", "documents", false, 1, clock.GetUtcNow()));

        var failed = new JobStateChanged("job-1", hostId, Protocol.JobKind.Backup, JobStatus.Failed, clock.GetUtcNow(), 1, "unable to open /data: permission denied", null, "g1");
        await host.DeliverAsync<JobStateChangedConsumer, JobStateChanged>(failed);
        await host.DeliverAsync<JobStateChangedConsumer, JobStateChanged>(failed with { });

        var delivery = Assert.Single(await host.SettledAsync(channelId, 1));
        Assert.Equal(DeliveryStatus.Sent, delivery.Status);
        Assert.Equal(1, delivery.Attempts);
        Assert.Equal(hostId, delivery.HostId);
        var sent = Assert.Single(channel.Delivered("ops"));
        Assert.Equal(delivery.Id, sent.Id);
        Assert.Equal(NotificationSeverity.Critical, sent.Severity);
        Assert.Equal("https://backups.example.com/jobs/job-1", sent.Link);
        var item = Assert.Single(sent.Items);
        Assert.Equal((NotificationEvent.JobFailed, "web-1", "documents", "job-1"), (item.Event, item.Hostname, item.SourceGroupName, item.JobId));
        foreach (var expected in new[] { "web-1", "documents", "permission denied", "https://backups.example.com/jobs/job-1" })
        {
            Assert.Contains(expected, sent.Text, StringComparison.Ordinal);
        }

        // The channel got its secret merged into its settings, decrypted.
        Assert.Equal("s3cret", channel.Attempts.Single(a => a.Box == "ops").Secret);
        var watched = await host.WatchedHostAsync(hostId);
        Assert.Equal((JobStatus.Failed, "job-1"), (watched!.LastBackupStatus, watched.LastBackupJobId));
    }

    [Fact]
    public async Task A_success_after_a_failure_sends_the_recovery_once_to_a_rule_that_lists_only_the_failure()
    {
        var channelId = await host.AddChannelAsync("recovery");
        await host.AddRuleAsync([NotificationEvent.JobFailed], [channelId]);
        var hostId = EngineHost.NewHostId();

        await host.JobAsync(hostId, "job-a", JobStatus.Succeeded, groupId: "g1");
        await host.JobAsync(hostId, "job-b", JobStatus.Failed, "boom", "g1");
        await host.JobAsync(hostId, "job-c", JobStatus.Succeeded, groupId: "g1");
        await host.JobAsync(hostId, "job-d", JobStatus.Succeeded, groupId: "g1");

        var rows = await host.SettledAsync(channelId, 2);
        var sent = channel.Delivered("recovery").OrderBy(n => n.Id, StringComparer.Ordinal).ToList();
        Assert.Equal(2, sent.Count);
        Assert.Equal((NotificationEvent.JobFailed, false), (sent[0].Items[0].Event, sent[0].Items[0].Recovery));
        Assert.Equal(NotificationSeverity.Resolved, sent[1].Severity);
        Assert.Equal((NotificationEvent.JobSucceeded, true, "job-c"), (sent[1].Items[0].Event, sent[1].Items[0].Recovery, sent[1].Items[0].JobId));
        Assert.All(rows, r => Assert.Equal(DeliveryStatus.Sent, r.Status));
    }

    [Fact]
    public async Task A_host_back_within_min_duration_is_no_alert_and_no_recovery_but_a_longer_outage_is_one_of_each()
    {
        var channelId = await host.AddChannelAsync("presence");
        await host.AddRuleAsync([NotificationEvent.HostOffline], [channelId], minDuration: TimeSpan.FromMinutes(2));
        var rebooted = EngineHost.NewHostId();
        var down = EngineHost.NewHostId();

        await host.HostStateAsync(rebooted, "reboots", HostState.Online, HostState.Pending, 2);
        await host.HostStateAsync(down, "dies", HostState.Online, HostState.Pending, 2);
        await host.HostStateAsync(rebooted, "reboots", HostState.Offline, HostState.Online, 3);
        await host.HostStateAsync(down, "dies", HostState.Offline, HostState.Online, 3);
        clock.Advance(TimeSpan.FromMinutes(1));
        await host.RunDueAsync();
        await host.HostStateAsync(rebooted, "reboots", HostState.Online, HostState.Offline, 4);
        Assert.Empty(await host.DeliveriesAsync(channelId));

        clock.Advance(TimeSpan.FromMinutes(2));
        await host.RunDueAsync();
        await host.RunDueAsync();
        var alert = Assert.Single(await host.SettledAsync(channelId, 1));
        Assert.Equal(down, alert.HostId);

        // Flapping while the alert is open adds nothing; coming back for good is the one recovery.
        await host.HostStateAsync(down, "dies", HostState.Stale, HostState.Offline, 5);
        await host.HostStateAsync(down, "dies", HostState.Offline, HostState.Stale, 7);
        await host.HostStateAsync(down, "dies", HostState.Online, HostState.Offline, 8);
        clock.Advance(TimeSpan.FromMinutes(5));
        await host.RunDueAsync();
        var rows = await host.SettledAsync(channelId, 2);
        Assert.All(rows, r => Assert.Equal(down, r.HostId));
        var sent = channel.Delivered("presence").OrderBy(n => n.Id, StringComparer.Ordinal).ToList();
        Assert.Equal([NotificationEvent.HostOffline, NotificationEvent.HostBack], sent.Select(n => n.Items[0].Event));
        Assert.Equal(NotificationSeverity.Resolved, sent[1].Severity);
        Assert.Equal($"https://backups.example.com/hosts/{down}", sent[0].Link);
    }

    [Fact]
    public async Task Two_hundred_failures_within_a_minute_under_a_digest_rule_are_one_message_listing_two_hundred()
    {
        var channelId = await host.AddChannelAsync("digest");
        await host.AddRuleAsync([NotificationEvent.JobFailed], [channelId], digestEvery: TimeSpan.FromMinutes(1));
        var hostId = EngineHost.NewHostId();
        await host.DeliverAsync<HostEnrolledConsumer, HostEnrolled>(new HostEnrolled(hostId, "db-1", clock.GetUtcNow()));

        await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            host.JobAsync(hostId, $"job-{i:D3}", JobStatus.Failed, $"error {i:D3}")));
        clock.Advance(TimeSpan.FromSeconds(30));
        await host.RunDueAsync();
        Assert.Empty(await host.DeliveriesAsync(channelId));

        clock.Advance(TimeSpan.FromSeconds(31));
        await host.RunDueAsync();
        var delivery = Assert.Single(await host.SettledAsync(channelId, 1));
        Assert.Equal(200, delivery.ItemCount);
        var digest = Assert.Single(channel.Delivered("digest"));
        Assert.Equal("200 notifications: 200 jobs failed", digest.Title);
        Assert.Equal(200, digest.Items.Count);
        for (var i = 0; i < 200; i++)
        {
            Assert.Contains($"error {i:D3}", digest.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_label_scoped_rule_hears_only_hosts_carrying_the_label()
    {
        var channelId = await host.AddChannelAsync("scoped");
        await host.AddRuleAsync([NotificationEvent.JobFailed], [channelId], scope: "label:env=prod");
        var prod = EngineHost.NewHostId();
        var test = EngineHost.NewHostId();
        await host.DeliverAsync<HostLabelsChangedConsumer, HostLabelsChanged>(new HostLabelsChanged(prod, ["env=prod"], 1, clock.GetUtcNow()), m => m.HostId == prod);
        await host.DeliverAsync<HostLabelsChangedConsumer, HostLabelsChanged>(new HostLabelsChanged(test, ["env=test"], 1, clock.GetUtcNow()), m => m.HostId == test);

        await host.JobAsync(test, "job-t", JobStatus.Failed, "boom");
        await host.JobAsync(prod, "job-p", JobStatus.Failed, "boom");

        var delivery = Assert.Single(await host.SettledAsync(channelId, 1));
        Assert.Equal(prod, delivery.HostId);
    }
}
