using System.Text.Json;

namespace ResticManager.IntegrationTests.Notifications;

/// <summary>
/// A webhook whose receiver is down is retried until it is up, and arrives once: also when the server
/// process dies and starts again in between (the delivery waits in the service's database, its outbox).
/// </summary>
[Collection(NotificationCollection.Name)]
public sealed class WebhookDeliveryTests(NotificationFixture fixture, ITestOutputHelper output)
{
    const string Secret = "e2e-webhook-secret-3f9a";

    ServerProcess Server => fixture.Server;

    [Fact]
    public async Task A_receiver_down_then_up_gets_the_failure_once()
    {
        await using var receiver = new WebhookReceiver(Secret);
        await Server.RunAsync(output, async created =>
        {
            var (channelId, job, pending) = await FailWhileReceiverIsDownAsync(created, receiver);

            await receiver.StartAsync();
            await AssertArrivedOnceAsync(receiver, channelId, job, pending.Text("id"));
        });
    }

    [Fact]
    public async Task A_receiver_down_across_a_server_kill_and_restart_gets_the_failure_once()
    {
        await using var receiver = new WebhookReceiver(Secret);
        await Server.RunAsync(output, async created =>
        {
            var (channelId, job, pending) = await FailWhileReceiverIsDownAsync(created, receiver);
            var deliveryId = pending.Text("id");

            // Killed, not stopped: nothing gets a chance to flush; only what was committed survives.
            await Server.KillAsync();
            await Server.StartAgainAsync();

            // The same delivery is still pending after the restart, and the restarted server keeps trying it.
            var attemptsBefore = pending.GetProperty("attempts").GetInt32();
            await Eventually.HoldsAsync(async () =>
                (await Server.DeliveriesAsync(channelId, "pending")).Any(d => d.Text("id") == deliveryId && d.GetProperty("attempts").GetInt32() > attemptsBefore),
                TimeSpan.FromSeconds(30), "the restarted server tries the pending delivery again", TimeSpan.FromMilliseconds(250));

            await receiver.StartAsync();
            await AssertArrivedOnceAsync(receiver, channelId, job, deliveryId);

            // Later tests need the agent back on the restarted server.
            await Server.WaitForStatusAsync(fixture.Host.Id, "online", TimeSpan.FromSeconds(60));
        });
    }

    /// <summary>A webhook channel and a rule, a real failure, and its delivery seen pending after a refused attempt.</summary>
    async Task<(string ChannelId, JsonElement Job, JsonElement Pending)> FailWhileReceiverIsDownAsync(NotificationApi.Created created, WebhookReceiver receiver)
    {
        var channelId = await created.ChannelAsync(Server, "ops webhook", "webhook", new { url = receiver.Url, secret = Secret });
        await created.RuleAsync(Server, new { name = "failed jobs to the webhook", events = new[] { "jobFailed" }, scope = "*", channelIds = new[] { channelId } });
        var job = await Server.FailBackupAsync(fixture.Host.Id);

        JsonElement pending = default;
        await Eventually.HoldsAsync(async () =>
        {
            var items = await Server.DeliveriesAsync(channelId, "pending");
            pending = items.FirstOrDefault(d => d.GetProperty("attempts").GetInt32() > 0);
            return pending.ValueKind == JsonValueKind.Object;
        }, TimeSpan.FromSeconds(30), "the delivery is pending after a failed attempt", TimeSpan.FromMilliseconds(250));
        output.WriteLine($"pending: {pending}");
        Assert.Single(await Server.DeliveriesAsync(channelId));
        Assert.Contains("refused", pending.Text("lastAnswer"), StringComparison.OrdinalIgnoreCase);
        Assert.Empty(receiver.Requests);
        return (channelId, job, pending);
    }

    async Task AssertArrivedOnceAsync(WebhookReceiver receiver, string channelId, JsonElement job, string deliveryId)
    {
        await Eventually.HoldsAsync(() => receiver.Deliveries.Count > 0, TimeSpan.FromSeconds(30), "the webhook arrives");
        var sent = await Server.WaitForOneSentAsync(channelId, TimeSpan.FromSeconds(30));
        Assert.Equal(deliveryId, sent.Text("id"));
        await NotificationApi.StaysAsync(() => receiver.Requests.Count == 1, TimeSpan.FromSeconds(2), "the webhook is not sent again");

        var delivery = Assert.Single(receiver.Deliveries);
        Assert.Equal(0, receiver.Rejected);
        Assert.Equal(deliveryId, delivery.DeliveryId);
        Assert.Equal("jobFailed", delivery.Event);
        Assert.Equal(deliveryId, (string?)delivery.Body["id"]);
        var item = Assert.Single(delivery.Body["items"]!.AsArray())!;
        Assert.Equal(job.Text("id"), (string?)item["jobId"]);
        Assert.Equal(fixture.Host.Id, (string?)item["hostId"]);
        Assert.Equal(job.Text("error"), (string?)item["error"]);
    }
}
