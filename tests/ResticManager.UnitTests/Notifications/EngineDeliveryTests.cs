using ResticManager.Contracts;
using ResticManager.Notifications;

namespace ResticManager.UnitTests.Notifications;

/// <summary>The delivery dispatcher: retries with backoff, independent channels, nothing lost across a restart.</summary>
public sealed class EngineDeliveryTests : IAsyncLifetime
{
    readonly TempDirectory data = new("rm-notify-delivery");
    readonly ManualClock clock = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
    readonly EngineRecordingChannel channel = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        data.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_failing_channel_is_retried_with_growing_delays_then_sent_once()
    {
        await using var host = await EngineHost.StartAsync(data, clock, channel);
        var channelId = await host.AddChannelAsync("flaky");
        await host.AddRuleAsync([NotificationEvent.JobFailed], [channelId]);
        var failures = 0;
        channel.Answer("flaky", (_, _) => Task.FromResult(Interlocked.Increment(ref failures) <= 2
            ? DeliveryResult.Retry("503 Service Unavailable")
            : DeliveryResult.Ok("200 OK")));

        await host.JobAsync(EngineHost.NewHostId(), "job-1", JobStatus.Failed, "boom");
        var first = await AttemptedAsync(host, channelId, 1);
        Assert.Equal(DeliveryStatus.Pending, first.Status);
        Assert.Equal("503 Service Unavailable", first.LastAnswer);
        var firstDelay = first.NextAttemptAt - first.LastAttemptAt!.Value;
        // RetryBaseDelay 5 s with jitter (75-100%).
        Assert.InRange(firstDelay, TimeSpan.FromSeconds(3.75), TimeSpan.FromSeconds(5));

        clock.Advance(TimeSpan.FromSeconds(5));
        var second = await AttemptedAsync(host, channelId, 2);
        var secondDelay = second.NextAttemptAt - second.LastAttemptAt!.Value;
        Assert.InRange(secondDelay, TimeSpan.FromSeconds(7.5), TimeSpan.FromSeconds(10));

        clock.Advance(TimeSpan.FromSeconds(10));
        var sent = Assert.Single(await host.SettledAsync(channelId, 1));
        Assert.Equal((DeliveryStatus.Sent, 3, "200 OK"), (sent.Status, sent.Attempts, sent.LastAnswer));
        Assert.NotNull(sent.SentAt);
        Assert.Single(channel.Delivered("flaky"));
        Assert.All(channel.Attempts, a => Assert.Equal(sent.Id, a.Notification.Id));
    }

    [Fact]
    public async Task A_refusal_gives_up_at_once_and_a_retryable_failure_gives_up_after_give_up_after()
    {
        await using var host = await EngineHost.StartAsync(data, clock, channel);
        var refused = await host.AddChannelAsync("refused");
        var down = await host.AddChannelAsync("down");
        await host.AddRuleAsync([NotificationEvent.JobFailed], [refused, down]);
        channel.Answer("refused", (_, _) => Task.FromResult(DeliveryResult.GiveUp("404 Not Found")));
        channel.Answer("down", (_, _) => Task.FromResult(DeliveryResult.Retry("connection refused")));

        await host.JobAsync(EngineHost.NewHostId(), "job-1", JobStatus.Failed, "boom");
        var gaveUp = Assert.Single(await host.SettledAsync(refused, 1));
        Assert.Equal((DeliveryStatus.Failed, 1, "404 Not Found"), (gaveUp.Status, gaveUp.Attempts, gaveUp.LastAnswer));

        await AttemptedAsync(host, down, 1);
        // Days later (GiveUpAfter is one day), the next failed attempt is the last.
        clock.Advance(TimeSpan.FromDays(1));
        var failed = Assert.Single(await host.SettledAsync(down, 1));
        Assert.Equal((DeliveryStatus.Failed, 2), (failed.Status, failed.Attempts));
        Assert.Contains("connection refused", failed.LastAnswer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hanging_channel_does_not_hold_up_another()
    {
        await using var host = await EngineHost.StartAsync(data, clock, channel);
        var slow = await host.AddChannelAsync("slow");
        var fast = await host.AddChannelAsync("fast");
        await host.AddRuleAsync([NotificationEvent.JobFailed], [slow, fast]);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        channel.Answer("slow", async (_, ct) =>
        {
            await release.Task.WaitAsync(ct);
            return DeliveryResult.Ok("200 OK");
        });

        await host.JobAsync(EngineHost.NewHostId(), "job-1", JobStatus.Failed, "boom");
        await host.JobAsync(EngineHost.NewHostId(), "job-2", JobStatus.Failed, "boom");
        Assert.Equal(2, (await host.SettledAsync(fast, 2)).Count(d => d.Status == DeliveryStatus.Sent));
        Assert.Empty(channel.Delivered("slow"));

        release.SetResult();
        Assert.All(await host.SettledAsync(slow, 2), d => Assert.Equal(DeliveryStatus.Sent, d.Status));
    }

    [Fact]
    public async Task A_pending_delivery_left_by_a_stopped_server_is_sent_once_by_the_next()
    {
        string channelId;
        string deliveryId;
        await using (var before = await EngineHost.StartAsync(data, clock, channel))
        {
            channelId = await before.AddChannelAsync("restart");
            await before.AddRuleAsync([NotificationEvent.JobFailed], [channelId]);
            channel.Answer("restart", (_, _) => Task.FromResult(DeliveryResult.Retry("connection refused")));
            await before.JobAsync(EngineHost.NewHostId(), "job-1", JobStatus.Failed, "boom");
            deliveryId = (await AttemptedAsync(before, channelId, 1)).Id;
        }

        channel.Answer("restart", (_, _) => Task.FromResult(DeliveryResult.Ok("200 OK")));
        clock.Advance(TimeSpan.FromMinutes(1));
        await using var after = await EngineHost.StartAsync(data, clock, channel);
        var sent = Assert.Single(await after.SettledAsync(channelId, 1));
        Assert.Equal((deliveryId, DeliveryStatus.Sent, 2), (sent.Id, sent.Status, sent.Attempts));
        Assert.Equal(deliveryId, Assert.Single(channel.Delivered("restart")).Id);
    }

    static async Task<Delivery> AttemptedAsync(EngineHost host, string channelId, int attempts)
    {
        Delivery? row = null;
        await Eventually.HoldsAsync(async () =>
        {
            row = (await host.DeliveriesAsync(channelId)).SingleOrDefault();
            return row is { Attempts: var a } && a >= attempts;
        }, TimeSpan.FromSeconds(15), $"attempt {attempts} to {channelId}", TimeSpan.FromMilliseconds(20));
        Assert.Equal(attempts, row!.Attempts);
        return row;
    }
}
