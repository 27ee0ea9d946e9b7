using System.Text.Json.Nodes;

namespace ResticManager.IntegrationTests.Notifications;

/// <summary>
/// <c>minDuration</c> on host alerts: an agent killed and back within it raises nothing (a reboot is no
/// alarm); killed for longer, one alert once the time has passed, and one recovery when it is back.
/// </summary>
[Collection(NotificationCollection.Name)]
public sealed class HostPresenceNotificationTests(NotificationFixture fixture, ITestOutputHelper output)
{
    static readonly TimeSpan MinDuration = TimeSpan.FromSeconds(20);

    ServerProcess Server => fixture.Server;

    [Fact]
    public async Task A_host_back_within_min_duration_raises_nothing_and_one_down_longer_raises_one_alert_then_one_recovery()
    {
        const string secret = "e2e-presence-secret-5b20";
        await using var receiver = await WebhookReceiver.StartNewAsync(secret);
        await using var agent = await AgentProcess.EnrollAsync(Server, "presence-e2e-host");
        await Server.RunAsync(output, async created =>
        {
            // The rule covers this host by its label: other tests' hosts come and go (and stay offline once done).
            await Server.SendAsync(HttpMethod.Put, $"/api/hosts/{agent.AgentId}/labels", new { labels = new[] { "e2e=presence" } }, System.Net.HttpStatusCode.OK);
            agent.Start();
            await Server.WaitForStatusAsync(agent.AgentId, "online", TimeSpan.FromSeconds(30));
            var channelId = await created.ChannelAsync(Server, "presence webhook", "webhook", new { url = receiver.Url, secret });
            await created.RuleAsync(Server, new
            {
                name = "hosts down for a while",
                events = new[] { "hostOffline", "hostBack" },
                scope = "label:e2e=presence",
                channelIds = new[] { channelId },
                minDuration = "20s",
            });

            // A short outage: SIGKILL, so the broker sees the connection drop and the agent's Last Will
            // marks it offline; back well within minDuration.
            var firstKill = DateTimeOffset.UtcNow;
            await agent.KillAsync();
            var wentOffline = await Server.WaitForStatusAsync(agent.AgentId, "offline", TimeSpan.FromSeconds(15));
            agent.Start();
            await Server.WaitForStatusAsync(agent.AgentId, "online", TimeSpan.FromSeconds(30));
            var shortOutage = DateTimeOffset.UtcNow - firstKill;
            output.WriteLine($"short outage: offline after {wentOffline.TotalSeconds:F1}s, back after {shortOutage.TotalSeconds:F1}s");
            Assert.True(shortOutage < MinDuration, $"the short outage lasted {shortOutage}, not shorter than minDuration");

            // A long outage, right after. An alert for the short one would come minDuration after the first
            // kill, before one for the long outage can: the one alert must come no earlier than minDuration
            // after the second kill.
            var secondKill = DateTimeOffset.UtcNow;
            await agent.KillAsync();
            await Server.WaitForStatusAsync(agent.AgentId, "offline", TimeSpan.FromSeconds(15));
            await Eventually.HoldsAsync(() => receiver.Deliveries.Count > 0, MinDuration + TimeSpan.FromSeconds(30), "the offline alert arrives");
            var alertAt = DateTimeOffset.UtcNow;
            output.WriteLine($"alert {(alertAt - secondKill).TotalSeconds:F1}s after the second kill, {(alertAt - firstKill).TotalSeconds:F1}s after the first");
            Assert.True(alertAt - secondKill >= MinDuration, $"an alert came {(alertAt - secondKill).TotalSeconds:F1}s after the second kill, before minDuration");
            var alert = Assert.Single(receiver.Deliveries);
            AssertAbout(alert.Body, "hostOffline", agent.AgentId, recovery: false);
            await Server.WaitForOneSentAsync(channelId, TimeSpan.FromSeconds(10));

            agent.Start();
            await Server.WaitForStatusAsync(agent.AgentId, "online", TimeSpan.FromSeconds(30));
            await Eventually.HoldsAsync(() => receiver.Deliveries.Count > 1, TimeSpan.FromSeconds(30), "the recovery arrives");
            await Eventually.HoldsAsync(async () => (await Server.DeliveriesAsync(channelId, "sent")).Count == 2, TimeSpan.FromSeconds(10), "both are sent in the history");
            await NotificationApi.StaysAsync(() => receiver.Requests.Count == 2, TimeSpan.FromSeconds(2), "nothing but the alert and its recovery is sent");

            Assert.Equal(2, (await Server.DeliveriesAsync(channelId)).Count);
            AssertAbout(receiver.Deliveries[1].Body, "hostBack", agent.AgentId, recovery: true);
            Assert.Equal(0, receiver.Rejected);
        }, () => agent.Process);
    }

    static void AssertAbout(JsonObject notification, string expectedEvent, string hostId, bool recovery)
    {
        var item = Assert.Single(notification["items"]!.AsArray())!;
        Assert.Equal(expectedEvent, (string?)item["event"]);
        Assert.Equal(hostId, (string?)item["hostId"]);
        Assert.Equal("presence-e2e-host", (string?)item["hostname"]);
        Assert.Equal(recovery, (bool?)item["recovery"] ?? false);
        // An alert's severity is the engine's choice; a recovery is "resolved" (NotificationSeverity.Resolved).
        Assert.Equal(recovery, (string?)notification["severity"] == "resolved");
    }
}
