using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ResticManager.FleetSimulator;

namespace ResticManager.IntegrationTests.Notifications;

/// <summary>
/// Issue 15's versions over the real protocol: an agent saying hello with an older version than the server ships
/// is <c>agentOutdated</c> in the hosts API (its item, its details, the filter, the totals) and raises one
/// agentOutdated notification through the inventory's event; an agent of the shipped version is none of that.
/// </summary>
[Collection(NotificationCollection.Name)]
public sealed class AgentVersionNotificationTests(NotificationFixture fixture, ITestOutputHelper output)
{
    const string Label = "e2e=versions";

    ServerProcess Server => fixture.Server;

    [Fact]
    public async Task An_older_agent_is_outdated_in_the_api_and_notified_once_and_a_current_one_is_not()
    {
        const string secret = "e2e-versions-secret-81c3";
        await using var receiver = await WebhookReceiver.StartNewAsync(secret);
        using var abandon = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var shipped = (await Server.Api.GetFromJsonAsync<JsonElement>("/api/hosts/summary")).GetProperty("latestAgentVersion").GetString()!;
        Assert.Matches(@"^\d+\.\d+\.\d+", shipped);
        await using var older = await EnrollAsync("ver-old-", "0.0.1", abandon.Token);
        await using var current = await EnrollAsync("ver-new-", shipped, abandon.Token);
        var olderId = older.Agents[0].AgentId;
        var currentId = current.Agents[0].AgentId;

        await Server.RunAsync(output, async created =>
        {
            foreach (var id in new[] { olderId, currentId })
            {
                await Server.SendAsync(HttpMethod.Put, $"/api/hosts/{id}/labels", new { labels = new[] { Label } }, HttpStatusCode.OK);
            }

            var channelId = await created.ChannelAsync(Server, "versions webhook", "webhook", new { url = receiver.Url, secret });
            await created.RuleAsync(Server, new { name = "outdated agents", events = new[] { "agentOutdated" }, scope = "label:" + Label, channelIds = new[] { channelId } });

            await older.ConnectAsync(abandon.Token);
            await current.ConnectAsync(abandon.Token);
            await Server.WaitForStatusAsync(olderId, "online", TimeSpan.FromSeconds(30));
            await Server.WaitForStatusAsync(currentId, "online", TimeSpan.FromSeconds(30));

            await Eventually.HoldsAsync(async () => (await HostAsync(olderId)).GetProperty("agentVersion").GetString() == "0.0.1", TimeSpan.FromSeconds(30), "the older agent's hello recorded");
            await Eventually.HoldsAsync(async () => (await HostAsync(currentId)).GetProperty("agentVersion").GetString() == shipped, TimeSpan.FromSeconds(30), "the current agent's hello recorded");
            var olderHost = await HostAsync(olderId);
            Assert.True(olderHost.GetProperty("agentOutdated").GetBoolean());
            Assert.Equal(shipped, olderHost.GetProperty("latestAgentVersion").GetString());
            Assert.False((await HostAsync(currentId)).GetProperty("agentOutdated").GetBoolean());

            var outdatedPage = await Server.Api.GetFromJsonAsync<JsonElement>($"/api/hosts?label={Uri.EscapeDataString(Label)}&agentOutdated=true");
            var outdatedItem = Assert.Single(outdatedPage.GetProperty("items").EnumerateArray());
            Assert.Equal((olderId, true, shipped), (outdatedItem.GetProperty("id").GetString(), outdatedItem.GetProperty("agentOutdated").GetBoolean(), outdatedItem.GetProperty("latestAgentVersion").GetString()));
            var currentPage = await Server.Api.GetFromJsonAsync<JsonElement>($"/api/hosts?label={Uri.EscapeDataString(Label)}&agentOutdated=false");
            Assert.Equal([currentId], currentPage.GetProperty("items").EnumerateArray().Select(h => h.GetProperty("id").GetString()));
            Assert.True((await Server.Api.GetFromJsonAsync<JsonElement>("/api/hosts/summary")).GetProperty("agentOutdated").GetInt32() >= 1);

            await Eventually.HoldsAsync(() => receiver.Deliveries.Count > 0, TimeSpan.FromSeconds(30), "the agentOutdated alert arrives");
            await Server.WaitForOneSentAsync(channelId, TimeSpan.FromSeconds(10));
            // The current agent raises nothing, and the older one's reconnects would not raise it again.
            await NotificationApi.StaysAsync(() => receiver.Requests.Count == 1, TimeSpan.FromSeconds(2), "one alert, for the older agent only");
            var item = Assert.Single(receiver.Deliveries[0].Body["items"]!.AsArray())!;
            Assert.Equal(("agentOutdated", olderId), ((string?)item["event"], (string?)item["hostId"]));
            Assert.Contains($"0.0.1", (string?)item["summary"], StringComparison.Ordinal);
            Assert.Contains(shipped, (string?)item["summary"], StringComparison.Ordinal);
            Assert.Equal(0, receiver.Rejected);
        });

        await older.StopAsync(abandon.Token);
        await current.StopAsync(abandon.Token);
    }

    async Task<Fleet> EnrollAsync(string prefix, string agentVersion, CancellationToken ct) => await Fleet.EnrollAsync(new FleetOptions
    {
        ServerUrl = new Uri(Server.BaseUrl),
        AdminToken = Server.AdminToken,
        Agents = 1,
        Ramp = TimeSpan.Zero,
        HostnamePrefix = prefix,
        AgentVersion = agentVersion,
    }, ct);

    async Task<JsonElement> HostAsync(string id) => await Server.Api.GetFromJsonAsync<JsonElement>($"/api/hosts/{id}");
}
