using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace ResticManager.IntegrationTests.Notifications;

/// <summary>A burst of failures under a rule with a digest becomes one message listing every one of them.</summary>
[Collection(NotificationCollection.Name)]
public sealed class DigestTests(NotificationFixture fixture, ITestOutputHelper output)
{
    const int Failures = 200;

    /// <summary>Hosts the failures are spread over: a host runs one job at a time, ~0.3 s each here, too slow alone for a minute.</summary>
    const int ExtraHosts = 3;

    ServerProcess Server => fixture.Server;

    [Fact]
    public async Task Two_hundred_failures_within_a_minute_make_one_digest_listing_all_of_them()
    {
        const string secret = "e2e-digest-secret-77c1";
        await using var receiver = await WebhookReceiver.StartNewAsync(secret);
        var watch = Stopwatch.StartNew();
        var extra = await Task.WhenAll(Enumerable.Range(1, ExtraHosts).Select(i => JobTestHost.StartAsync(Server, $"digest-e2e-host-{i}")));
        output.WriteLine($"{ExtraHosts} more hosts ready in {watch.Elapsed.TotalSeconds:F1}s");
        JobTestHost[] hosts = [fixture.Host, .. extra];
        try
        {
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

                // Real backups that restic refuses at once (every path missing), queued while the agents are down
                // so that, once they are back, they run back to back instead of at the pace of the requests.
                var jobIds = new string[Failures];
                await Task.WhenAll(hosts.Select(h => h.Agent.KillAsync()));
                try
                {
                    foreach (var host in hosts)
                    {
                        await Server.WaitForStatusAsync(host.Id, "offline", TimeSpan.FromSeconds(15));
                    }

                    watch.Restart();
                    await Parallel.ForAsync(0, Failures, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
                        jobIds[i] = await Server.CreateJobAsync(hosts[i % hosts.Length].Id, new { kind = "backup", paths = new[] { $"/nonexistent-rm-e2e/burst-{i}" } }));
                    output.WriteLine($"{Failures} backups queued in {watch.Elapsed.TotalSeconds:F1}s");
                }
                finally
                {
                    watch.Restart();
                    foreach (var host in hosts)
                    {
                        host.Agent.Start();
                    }
                }

                var wanted = jobIds.ToHashSet(StringComparer.Ordinal);
                List<JsonElement> failed = [];
                await Eventually.HoldsAsync(async () =>
                    (failed = [.. (await Server.AllPagesAsync("/api/jobs?status=failed&limit=200")).Where(j => wanted.Contains(j.Text("id")))]).Count == Failures,
                    TimeSpan.FromSeconds(90), $"the {Failures} backups fail", TimeSpan.FromSeconds(1));
                var finished = failed.Select(j => j.GetProperty("finishedAt").GetDateTimeOffset()).ToList();
                var burst = finished.Max() - finished.Min();
                output.WriteLine($"{Failures} failures within {burst.TotalSeconds:F1}s (all failed {watch.Elapsed.TotalSeconds:F1}s after the agents were started)");
                Assert.True(burst < TimeSpan.FromMinutes(1), $"the failures took {burst} (a minute at most is what the test is about)");

                await Eventually.HoldsAsync(() => receiver.Deliveries.Count > 0, TimeSpan.FromSeconds(90), "the digest arrives");
                output.WriteLine($"the digest arrived {watch.Elapsed.TotalSeconds:F1}s after the agents were started");
                var sent = await Server.WaitForOneSentAsync(channelId, TimeSpan.FromSeconds(30));
                Assert.Equal(Failures, sent.GetProperty("itemCount").GetInt32());
                await NotificationApi.StaysAsync(() => receiver.Requests.Count == 1, TimeSpan.FromSeconds(2), "no second message follows the digest");

                var digest = Assert.Single(receiver.Deliveries).Body;
                var items = digest["items"]!.AsArray();
                Assert.Equal(Failures, items.Count);
                Assert.Equal(jobIds.Order(StringComparer.Ordinal), items.Select(i => (string)i!["jobId"]!).Order(StringComparer.Ordinal));
                Assert.All(items, i => Assert.Equal("jobFailed", (string?)i!["event"]));
            }, [.. hosts.Select(h => (Func<ChildProcess?>)(() => h.Agent.Process))]);
        }
        finally
        {
            // Revoked, the extra hosts are nobody's concern once their agents are gone.
            foreach (var host in extra)
            {
                await host.DisposeAsync();
                using var revoke = await Server.Api.DeleteAsync($"/api/hosts/{host.Id}");
                Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
            }
        }
    }
}
