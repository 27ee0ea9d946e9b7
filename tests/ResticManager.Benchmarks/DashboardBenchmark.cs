using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using ResticManager.Testing;
using ResticManager.UiTests;
using static Microsoft.Playwright.Assertions;

/// <summary>
/// The dashboard in Debian's chromium with a large fleet against the same dashboard with a small one, in
/// one run on one server: first the baseline's hosts are enrolled and measured, then the rest. Hosts are
/// enrolled through the REST API as agents do (a token each, then the anonymous enroll call), in parallel;
/// no agent runs, so they are all pending. Each size gets one unmeasured warm-up load, then
/// <c>--runs</c> loads, each in a fresh browser context (cold page, warm server), measuring: time to first
/// render (navigation start to the first host row of the "Hosts" grid visible), time to interactive
/// (navigation start to a search for one host, typed into "Search hosts", showing just that host), the
/// search alone, and the page's JS heap (CDP Performance.getMetrics JSHeapUsedSize after a garbage
/// collection, the whole list shown again) with its DOM node count.
/// </summary>
static class DashboardBenchmark
{
    static readonly UserLogin Admin = new("bench-admin", "bench-admin-password");
    static readonly Regex HostRowText = new(@"bench-\d{5}");

    sealed record UserLogin(string Username, string Password);

    sealed record Run(double FirstRenderMs, double InteractiveMs, double SearchMs, double HeapMiB, double DomNodes);

    public static async Task<int> RunAsync(BenchmarkArguments args)
    {
        var hosts = args.Int("--hosts", 10_000);
        var baseline = args.Int("--baseline", 100);
        var runs = args.Int("--runs", 3);
        if (baseline < 1 || hosts <= baseline || hosts > 99_999)
        {
            throw new ArgumentException("need 1 <= --baseline < --hosts <= 99999");
        }

        var settings = await WebUi.ServerSettingsAsync();
        settings["Bootstrap:AdminUser"] = Admin.Username;
        settings["Bootstrap:AdminPassword"] = Admin.Password;
        settings["Auth:Login:PerAddressPerMinute"] = "100000";
        await using var server = await ServerProcess.StartAsync(settings);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        Console.WriteLine($"chromium {browser.Version}; server {server.BaseUrl}");

        await EnrollAsync(server, 0, baseline);
        var small = await MeasureAsync(browser, server, baseline, runs);
        await EnrollAsync(server, baseline, hosts);
        var large = await MeasureAsync(browser, server, hosts, runs);

        var report = new Dictionary<string, object>
        {
            ["measuredAt"] = DateTimeOffset.UtcNow,
            ["chromium"] = browser.Version,
            ["runs"] = runs,
            ["large"] = Summary(hosts, large),
            ["baseline"] = Summary(baseline, small),
            ["ratio"] = new Dictionary<string, double>
            {
                ["firstRender"] = Ratio(large, small, r => r.FirstRenderMs),
                ["interactive"] = Ratio(large, small, r => r.InteractiveMs),
                ["search"] = Ratio(large, small, r => r.SearchMs),
                ["heap"] = Ratio(large, small, r => r.HeapMiB),
                ["domNodes"] = Ratio(large, small, r => r.DomNodes),
            },
        };

        Console.WriteLine($"dashboard of {hosts} hosts against {baseline} (median of {runs}):");
        Print("first render", "ms", large, small, r => r.FirstRenderMs);
        Print("interactive", "ms", large, small, r => r.InteractiveMs);
        Print("search", "ms", large, small, r => r.SearchMs);
        Print("JS heap", "MiB", large, small, r => r.HeapMiB);
        Print("DOM nodes", "", large, small, r => r.DomNodes);

        var output = Path.Combine(RepoPaths.Root, "artifacts", "benchmarks", "dashboard.json");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        await File.WriteAllTextAsync(output, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
        Console.WriteLine($"written to {output}");
        return 0;
    }

    static string HostName(int i) => $"bench-{i:D5}";

    static async Task EnrollAsync(ServerProcess server, int from, int to)
    {
        Console.WriteLine($"enrolling hosts {from}..{to - 1} ...");
        var watch = Stopwatch.StartNew();
        var done = 0;
        await Parallel.ForEachAsync(Enumerable.Range(from, to - from), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            await server.EnrollHostAsync(HostName(i));
            if (Interlocked.Increment(ref done) % 1000 == 0)
            {
                Console.WriteLine($"  {done} in {watch.Elapsed.TotalSeconds:F0} s");
            }
        });
        Console.WriteLine($"enrolled {to - from} hosts in {watch.Elapsed.TotalSeconds:F1} s");
    }

    static async Task<List<Run>> MeasureAsync(IBrowser browser, ServerProcess server, int hosts, int runs)
    {
        // A host far down the list, so the search has to reach past what the first screen shows.
        var target = HostName(hosts * 3 / 4);
        var measured = new List<Run>();
        for (var i = 0; i <= runs; i++)
        {
            var run = await LoadOnceAsync(browser, server, target);
            if (i > 0)
            {
                measured.Add(run);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {hosts} hosts, run {i}: first render {run.FirstRenderMs:F0} ms, interactive {run.InteractiveMs:F0} ms, search {run.SearchMs:F0} ms, heap {run.HeapMiB:F1} MiB, {run.DomNodes:F0} DOM nodes"));
            }
        }

        return measured;
    }

    static async Task<Run> LoadOnceAsync(IBrowser browser, ServerProcess server, string target)
    {
        await using var context = await browser.NewContextAsync(new() { BaseURL = server.BaseUrl, ViewportSize = new() { Width = 1280, Height = 800 } });
        var login = await context.APIRequest.PostAsync("/api/session", new() { DataObject = new { username = Admin.Username, password = Admin.Password } });
        if (!login.Ok)
        {
            throw new InvalidOperationException($"login failed: {login.Status} {await login.TextAsync()}");
        }

        var page = await context.NewPageAsync();
        var cdp = await context.NewCDPSessionAsync(page);
        await cdp.SendAsync("Performance.enable");
        var rows = Dashboard.Hosts(page).GetByRole(AriaRole.Row).Filter(new() { HasTextRegex = HostRowText });
        var slow = new LocatorAssertionsToHaveCountOptions { Timeout = 120_000 };

        var watch = Stopwatch.StartNew();
        await page.GotoAsync("/", new() { WaitUntil = WaitUntilState.Commit });
        await rows.First.WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = 120_000 });
        var firstRender = watch.Elapsed;

        var typed = watch.Elapsed;
        await Dashboard.Search(page).FillAsync(target);
        await Expect(rows).ToHaveCountAsync(1, slow);
        await Expect(rows.First).ToContainTextAsync(target);
        var interactive = watch.Elapsed;

        // The heap of the page showing the whole list, not of the one search result.
        await Dashboard.Search(page).FillAsync("");
        await Expect(rows.Filter(new() { HasText = HostName(0) })).ToBeVisibleAsync(new() { Timeout = 120_000 });
        await cdp.SendAsync("HeapProfiler.collectGarbage");
        var metrics = (await cdp.SendAsync("Performance.getMetrics"))!.Value.GetProperty("metrics").EnumerateArray()
            .ToDictionary(m => m.GetProperty("name").GetString()!, m => m.GetProperty("value").GetDouble());
        return new Run(firstRender.TotalMilliseconds, interactive.TotalMilliseconds, (interactive - typed).TotalMilliseconds,
            metrics["JSHeapUsedSize"] / (1024 * 1024), metrics["Nodes"]);
    }

    static Dictionary<string, object> Summary(int hosts, List<Run> runs) => new()
    {
        ["hosts"] = hosts,
        ["firstRenderMs"] = Measure.Median(runs.Select(r => r.FirstRenderMs).ToList()),
        ["interactiveMs"] = Measure.Median(runs.Select(r => r.InteractiveMs).ToList()),
        ["searchMs"] = Measure.Median(runs.Select(r => r.SearchMs).ToList()),
        ["jsHeapUsedMiB"] = Measure.Median(runs.Select(r => r.HeapMiB).ToList()),
        ["domNodes"] = Measure.Median(runs.Select(r => r.DomNodes).ToList()),
        ["runs"] = runs,
    };

    static double Ratio(List<Run> large, List<Run> small, Func<Run, double> value) =>
        Math.Round(Measure.Median(large.Select(value).ToList()) / Measure.Median(small.Select(value).ToList()), 2);

    static void Print(string what, string unit, List<Run> large, List<Run> small, Func<Run, double> value) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {what,-13} {Measure.Median(large.Select(value).ToList()),9:F1} {unit,-3}  runs {Measure.List(large.Select(value), "F1")}; baseline {Measure.Median(small.Select(value).ToList()):F1} {unit}; ratio {Ratio(large, small, value):F2}"));
}
