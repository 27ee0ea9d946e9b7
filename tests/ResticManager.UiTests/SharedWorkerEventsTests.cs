using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace ResticManager.UiTests;

/// <summary>
/// The UI opened at a plain-HTTP address (http://nas:8080, common in home labs) is no secure context: the
/// browser has no Web Locks there, so the tabs share the stream through a SharedWorker instead.
/// </summary>
[Collection(UiFleetCollection.Name)]
public sealed class SharedWorkerEventsTests(UiFleet fleet)
{
    [Fact]
    public Task Without_Web_Locks_two_tabs_share_one_event_stream_through_a_shared_worker() => fleet.RunAsync(async () =>
    {
        var host = await fleet.AddHostAsync("ui-live-worker");
        await host.BindAsync(fleet.Server, host.Folder.Combine("repo"), "live-worker");

        var context = await fleet.NewContextAsync();
        // The fixture's server is at 127.0.0.1, a secure context; take the API away as a plain-HTTP address would.
        await context.AddInitScriptAsync("Object.defineProperty(Navigator.prototype, 'locks', { get: () => undefined, configurable: true })");
        var fromTabs = new List<string>();
        context.Request += (_, request) =>
        {
            if (request.ResourceType == "eventsource" || new Uri(request.Url).AbsolutePath == "/api/events")
            {
                lock (fromTabs)
                {
                    fromTabs.Add(request.Url);
                }
            }
        };

        var openedBefore = fleet.OpenedEventStreams();
        var first = await context.NewPageAsync();
        await first.GotoAsync("/");
        var second = await context.NewPageAsync();
        await second.GotoAsync("/");
        foreach (var tab in new[] { first, second })
        {
            Assert.Null(await tab.EvaluateAsync<object?>("() => navigator.locks"));
            await Expect(Dashboard.HostRow(tab, host.Hostname)).ToBeVisibleAsync();
            await Expect(Dashboard.HostRow(tab, host.Hostname)).Not.ToContainTextAsync(Succeeded);
        }

        await Eventually.HoldsAsync(() => fleet.OpenedEventStreams() > openedBefore, TimeSpan.FromSeconds(10), "the worker opens the event stream");

        var job = await fleet.Server.CreateJobAsync(host.Id, new { kind = "backup", paths = new[] { host.DataPath } });
        Assert.Equal("succeeded", (await fleet.Server.WaitForJobAsync(job, TimeSpan.FromMinutes(1))).GetProperty("status").GetString());
        foreach (var tab in new[] { first, second })
        {
            await Expect(Dashboard.HostRow(tab, host.Hostname)).ToContainTextAsync(Succeeded, new() { Timeout = 15_000 });
        }

        Assert.Equal(1, fleet.OpenedEventStreams() - openedBefore);
        lock (fromTabs)
        {
            // Neither tab opened a stream of its own (a worker's requests are not reported to the context).
            Assert.Empty(fromTabs);
        }
    });

    static readonly Regex Succeeded = new("succeeded|success", RegexOptions.IgnoreCase);
}
