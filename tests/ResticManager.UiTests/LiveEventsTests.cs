using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace ResticManager.UiTests;

[Collection(UiFleetCollection.Name)]
public sealed class LiveEventsTests(UiFleet fleet)
{
    [Fact]
    public Task Two_tabs_share_one_event_stream() => fleet.RunAsync(async () =>
    {
        // A host of its own that has never been backed up: its row can only come to say "succeeded" live.
        var host = await fleet.AddHostAsync("ui-live-events");
        await host.BindAsync(fleet.Server, host.Folder.Combine("repo"), "live-events");

        var context = await fleet.NewContextAsync();
        var streams = new List<string>();
        context.Request += (_, request) =>
        {
            if (IsEventStream(request))
            {
                lock (streams)
                {
                    streams.Add(request.Url);
                }
            }
        };
        var first = await context.NewPageAsync();
        await first.GotoAsync("/");
        var second = await context.NewPageAsync();
        await second.GotoAsync("/");
        foreach (var tab in new[] { first, second })
        {
            await Expect(Dashboard.HostRow(tab, host.Hostname)).ToBeVisibleAsync();
            await Expect(Dashboard.HostRow(tab, host.Hostname)).Not.ToContainTextAsync(Succeeded);
        }

        await Eventually.HoldsAsync(() => StreamCount(streams) > 0, TimeSpan.FromSeconds(10), "the dashboard opens the event stream");

        var job = await fleet.Server.CreateJobAsync(host.Id, new { kind = "backup", paths = new[] { host.DataPath } });
        Assert.Equal("succeeded", (await fleet.Server.WaitForJobAsync(job, TimeSpan.FromMinutes(1))).GetProperty("status").GetString());
        foreach (var tab in new[] { first, second })
        {
            await Expect(Dashboard.HostRow(tab, host.Hostname)).ToContainTextAsync(Succeeded, new() { Timeout = 15_000 });
        }

        Assert.True(StreamCount(streams) == 1, $"one event stream for two tabs, not: {string.Join(", ", streams)}");
    });

    static readonly Regex Succeeded = new("succeeded|success", RegexOptions.IgnoreCase);

    static int StreamCount(List<string> streams)
    {
        lock (streams)
        {
            return streams.Count;
        }
    }

    /// <summary>An EventSource, or any request for a Server-Sent Events path (a stream opened by fetch counts too).</summary>
    static bool IsEventStream(IRequest request) =>
        request.ResourceType == "eventsource" || new Uri(request.Url).AbsolutePath is var path && path.StartsWith("/api/", StringComparison.Ordinal) && path.EndsWith("/events", StringComparison.Ordinal);
}
