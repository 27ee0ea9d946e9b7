using System.Diagnostics;
using System.Text.Json;

namespace ResticManager.IntegrationTests.Notifications;

/// <summary>A burst of failures under a rule with a digest becomes one message listing every one of them.</summary>
[Collection(NotificationCollection.Name)]
public sealed class DigestTests(NotificationFixture fixture, ITestOutputHelper output)
{
    const int Failures = 200;

    ServerProcess Server => fixture.Server;

    [Fact]
    public async Task Two_hundred_failures_within_a_minute_make_one_digest_listing_all_of_them()
    {
        const string secret = "e2e-digest-secret-77c1";
        await using var receiver = await WebhookReceiver.StartNewAsync(secret);
        await Server.RunAsync(output, async created =>
        {
            var channelId = await created.ChannelAsync(Server, "digest webhook", "webhook", new { url = receiver.Url, secret });
            await created.RuleAsync(Server, new
            {
                name = "failures in a digest",
                events = new[] { "jobFailed" },
                scope = "*",
                channelIds = new[] { channelId },
                digest = new { every = "1m" },
            });

            // Real backups that restic refuses at once (every path missing), queued while the agent is down so
            // that, once it is back, they run back to back (the host runs one job at a time) instead of at the
            // pace of the requests.
            var agent = fixture.Host.Agent;
            await agent.KillAsync();
            var watch = Stopwatch.StartNew();
            var jobIds = new string[Failures];
            try
            {
                await Server.WaitForStatusAsync(fixture.Host.Id, "offline", TimeSpan.FromSeconds(15));
                await Parallel.ForAsync(0, Failures, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
                    jobIds[i] = await Server.CreateJobAsync(fixture.Host.Id, new { kind = "backup", paths = new[] { $"/nonexistent-rm-e2e/burst-{i}" } }));
                output.WriteLine($"{Failures} backups queued in {watch.Elapsed.TotalSeconds:F1}s");
            }
            finally
            {
                watch.Restart();
                agent.Start();
            }

            List<JsonElement> failed = [];
            await Eventually.HoldsAsync(async () =>
                (failed = await Server.AllPagesAsync($"/api/jobs?hostId={fixture.Host.Id}&status=failed&limit=200")).Count(j => jobIds.Contains(j.Text("id"))) == Failures,
                TimeSpan.FromSeconds(90), $"the {Failures} backups fail", TimeSpan.FromSeconds(1));
            var finished = failed.Where(j => jobIds.Contains(j.Text("id"))).Select(j => j.GetProperty("finishedAt").GetDateTimeOffset()).ToList();
            var burst = finished.Max() - finished.Min();
            output.WriteLine($"{Failures} failures within {burst.TotalSeconds:F1}s (all failed {watch.Elapsed.TotalSeconds:F1}s after the agent was started)");
            Assert.True(burst < TimeSpan.FromMinutes(1), $"the failures took {burst} (a minute at most is what the test is about)");

            await Eventually.HoldsAsync(() => receiver.Deliveries.Count > 0, TimeSpan.FromSeconds(90), "the digest arrives");
            output.WriteLine($"the digest arrived {watch.Elapsed.TotalSeconds:F1}s after the agent was started");
            var sent = await Server.WaitForOneSentAsync(channelId, TimeSpan.FromSeconds(30));
            Assert.Equal(Failures, sent.GetProperty("itemCount").GetInt32());
            await NotificationApi.StaysAsync(() => receiver.Requests.Count == 1, TimeSpan.FromSeconds(2), "no second message follows the digest");

            var digest = Assert.Single(receiver.Deliveries).Body;
            var items = digest["items"]!.AsArray();
            Assert.Equal(Failures, items.Count);
            Assert.Equal(jobIds.Order(StringComparer.Ordinal), items.Select(i => (string)i!["jobId"]!).Order(StringComparer.Ordinal));
            Assert.All(items, i => Assert.Equal("jobFailed", (string?)i!["event"]));
        });
    }
}
