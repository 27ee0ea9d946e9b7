using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;

namespace ResticManager.UiTests;

/// <summary>
/// The fleet every browser test of the collection shares, started once: the embedded server as a real
/// process serving the built UI, with an admin user; two real agents with real restic (<see cref="HostA"/>,
/// <see cref="HostB"/>), both bound to one local repository (<see cref="Repository"/>), host A with one
/// finished backup of its data folder (<see cref="BackupJobId"/>, <see cref="SnapshotId"/>); and one
/// headless Chromium.
/// <para>What a test uses (keep it this small):</para>
/// <list type="bullet">
/// <item><c>RunAsync(async () =&gt; ...)</c>: the test body. Every browser context opened inside it is closed
/// at its end; on a failure each page's screenshot and a Playwright trace go to <c>artifacts/ui/failures/</c>.</item>
/// <item><c>NewPageAsync(viewport?, user?)</c>: a page (in its own browser context) logged in as the admin,
/// or as <c>user</c> (<c>Anonymous</c>: not logged in); <c>NewContextAsync</c> for several tabs of one browser. <c>Desktop</c>
/// (1280x800) and <c>Phone</c> (375x812) are the viewports of the screenshots.</item>
/// <item><c>LoginAsViewerAsync(viewport?)</c>: a page logged in as a viewer at <c>*</c> (created once).</item>
/// <item><c>ScreenshotAsync(page, name)</c>: <c>artifacts/ui/&lt;name&gt;-desktop.png</c> or <c>-375.png</c> by the page's width.</item>
/// <item><c>AssertAccessibleAsync(page)</c>: axe-core on the page as it is; fails on serious or critical violations.</item>
/// <item><c>AddHostAsync(hostname)</c>: one more real agent, enrolled and online (unbound), disposed with the fleet.</item>
/// </list>
/// Pages are driven by accessible names (GetByRole, GetByLabel) and Playwright's auto-waiting
/// assertions (<c>Assertions.Expect</c>), never CSS classes or sleeps.
/// </summary>
public sealed class UiFleet : IAsyncLifetime
{
    public static readonly ViewportSize Desktop = new() { Width = 1280, Height = 800 };
    public static readonly ViewportSize Phone = new() { Width = 375, Height = 812 };

    public static readonly UiUser Admin = new("ui-admin", "ui-admin-password-1");
    public static readonly UiUser Viewer = new("ui-viewer", "ui-viewer-password-1");

    /// <summary>Pass as the user for a page with no session (the login page).</summary>
    public static readonly UiUser Anonymous = new("", "");

    const string RepositoryPassword = "ui-fleet-repository";

    readonly TempDirectory repositoryFolder = new("rm-ui-repo");
    readonly List<UiHost> extraHosts = [];
    readonly List<IBrowserContext> contexts = [];
    readonly SemaphoreSlim viewerGate = new(1, 1);
    List<IBrowserContext>? testContexts;
    bool viewerCreated;
    IPlaywright? playwright;

    public ServerProcess Server { get; private set; } = null!;

    public UiHost HostA { get; private set; } = null!;

    public UiHost HostB { get; private set; } = null!;

    /// <summary>The local repository both hosts are bound to (one password), so either can restore the other's snapshots.</summary>
    public string Repository => repositoryFolder.Combine("repo");

    /// <summary>Host A's backup of its data folder, and the snapshot it made.</summary>
    public string BackupJobId { get; private set; } = null!;

    public string SnapshotId { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The repository-root folder of the screenshots.</summary>
    public static string ArtifactsPath { get; } = Path.Combine(RepoPaths.Root, "artifacts", "ui");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(ArtifactsPath);
        var settings = await WebUi.ServerSettingsAsync();
        settings["Bootstrap:AdminUser"] = Admin.Name;
        settings["Bootstrap:AdminPassword"] = Admin.Password;
        // Every test logs in afresh: the default 20 a minute per address would refuse the later ones.
        settings["Auth:Login:PerAddressPerMinute"] = "100000";
        // The jobs service logs each event stream it opens (see OpenedEventStreams): the only count of streams a shared worker opens.
        settings["Logging:LogLevel:ResticManager.Jobs.EventStreamCount"] = "Debug";
        var browser = StartBrowserAsync();
        Server = await ServerProcess.StartAsync(settings);
        var hosts = await Task.WhenAll(UiHost.StartAsync(Server, "ui-host-a"), UiHost.StartAsync(Server, "ui-host-b"));
        (HostA, HostB) = (hosts[0], hosts[1]);
        // One after the other: the second init finds the repository there (and succeeds), never half made.
        await HostA.BindAsync(Server, Repository, RepositoryPassword);
        await HostB.BindAsync(Server, Repository, RepositoryPassword);

        BackupJobId = await Server.CreateJobAsync(HostA.Id, new { kind = "backup", paths = new[] { HostA.DataPath } });
        var backup = await Server.WaitForJobAsync(BackupJobId, TimeSpan.FromMinutes(2));
        if (backup.GetProperty("status").GetString() != "succeeded")
        {
            throw new InvalidOperationException($"host A's backup ended {backup}");
        }

        await Eventually.HoldsAsync(async () => (await Server.GetSnapshotsAsync(HostA.Id)).GetProperty("snapshots").GetArrayLength() == 1,
            TimeSpan.FromSeconds(30), "the snapshots service lists host A's backup");
        SnapshotId = (await Server.GetSnapshotsAsync(HostA.Id)).GetProperty("snapshots")[0].GetProperty("id").GetString()!;
        Browser = await browser;
    }

    async Task<IBrowser> StartBrowserAsync()
    {
        playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        return await Chromium.LaunchAsync(playwright);
    }

    /// <summary>
    /// How many <c>GET /api/events</c> streams the server has opened since it started (its Debug log line):
    /// Playwright reports no request of a shared worker, so this is how a test counts the worker's.
    /// </summary>
    public int OpenedEventStreams() => Server.Process?.CountLines("Event stream opened for") ?? 0;

    /// <summary>Runs a test body; closes the contexts it opened, keeping screenshots and traces of a failure.</summary>
    public async Task RunAsync(Func<Task> test, [CallerMemberName] string name = "")
    {
        testContexts = [];
        try
        {
            await test();
        }
        catch
        {
            await KeepFailureAsync(name, testContexts);
            throw;
        }
        finally
        {
            foreach (var context in testContexts)
            {
                await CloseAsync(context);
            }

            testContexts = null;
        }
    }

    /// <summary>A browser context (its tabs share cookies, storage and BroadcastChannel) with a session of <paramref name="user"/> (the admin by default).</summary>
    public async Task<IBrowserContext> NewContextAsync(ViewportSize? viewport = null, UiUser? user = null)
    {
        var context = await Browser.NewContextAsync(new()
        {
            BaseURL = Server.BaseUrl,
            ViewportSize = viewport ?? Desktop,
            Locale = "en-US",
            TimezoneId = "UTC",
        });
        lock (contexts)
        {
            contexts.Add(context);
            testContexts?.Add(context);
        }

        await context.Tracing.StartAsync(new() { Snapshots = true });
        if (user == Anonymous)
        {
            return context;
        }

        // The session cookie lands in the context's own cookie jar, as after the login form: no token reaches the page.
        var login = await context.APIRequest.PostAsync("/api/session", new() { DataObject = new { username = (user ?? Admin).Name, password = (user ?? Admin).Password } });
        if (!login.Ok)
        {
            throw new InvalidOperationException($"login as {(user ?? Admin).Name} failed: {login.Status} {await login.TextAsync()}");
        }

        return context;
    }

    /// <summary>A page logged in as <paramref name="user"/> (the admin by default), not navigated yet.</summary>
    public async Task<IPage> NewPageAsync(ViewportSize? viewport = null, UiUser? user = null) =>
        await (await NewContextAsync(viewport, user)).NewPageAsync();

    /// <summary>A page logged in as <see cref="Viewer"/> (viewer at <c>*</c>), created through the API on first use.</summary>
    public async Task<IPage> LoginAsViewerAsync(ViewportSize? viewport = null)
    {
        await viewerGate.WaitAsync();
        try
        {
            if (!viewerCreated)
            {
                using var created = await Server.Api.PostAsJsonAsync("/api/users", new { username = Viewer.Name, password = Viewer.Password, grants = new[] { new { role = "viewer", scope = "*" } } });
                if (!created.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"creating the viewer failed: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
                }

                viewerCreated = true;
            }
        }
        finally
        {
            viewerGate.Release();
        }

        return await NewPageAsync(viewport, Viewer);
    }

    /// <summary>One more real agent, enrolled and online, not bound; it stops with the fleet.</summary>
    public async Task<UiHost> AddHostAsync(string hostname)
    {
        var host = await UiHost.StartAsync(Server, hostname);
        lock (extraHosts)
        {
            extraHosts.Add(host);
        }

        return host;
    }

    /// <summary>A full-page screenshot: <c>artifacts/ui/&lt;name&gt;-desktop.png</c>, or <c>-375.png</c> for a phone-wide page.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var width = page.ViewportSize?.Width ?? Desktop.Width;
        var path = Path.Combine(ArtifactsPath, $"{name}-{(width <= Phone.Width ? "375" : "desktop")}.png");
        await page.ScreenshotAsync(new() { Path = path, FullPage = true, Animations = ScreenshotAnimations.Disabled });
        return path;
    }

    /// <summary>Runs axe-core on the page as it is now; fails listing every serious or critical violation.</summary>
    public static async Task AssertAccessibleAsync(IPage page)
    {
        var result = await page.RunAxe();
        var blocking = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        if (blocking.Count == 0)
        {
            return;
        }

        var report = new StringBuilder($"{blocking.Count} serious or critical accessibility violation(s) on {page.Url} ({page.ViewportSize?.Width}px):\n");
        foreach (var violation in blocking)
        {
            report.Append(System.Globalization.CultureInfo.InvariantCulture, $"- [{violation.Impact}] {violation.Id}: {violation.Help} ({violation.HelpUrl})\n");
            foreach (var node in violation.Nodes.Take(5))
            {
                report.Append(System.Globalization.CultureInfo.InvariantCulture, $"    at {node.Target}: {node.Html}\n");
                foreach (var check in node.Any.Concat(node.All).Concat(node.None))
                {
                    report.Append("      ").Append(check.Message).Append('\n');
                }
            }

            if (violation.Nodes.Length > 5)
            {
                report.Append(System.Globalization.CultureInfo.InvariantCulture, $"    ... and {violation.Nodes.Length - 5} more\n");
            }
        }

        Assert.Fail(report.ToString());
    }

    static async Task KeepFailureAsync(string name, IReadOnlyList<IBrowserContext> opened)
    {
        var folder = Path.Combine(ArtifactsPath, "failures");
        Directory.CreateDirectory(folder);
        for (var i = 0; i < opened.Count; i++)
        {
            try
            {
                for (var j = 0; j < opened[i].Pages.Count; j++)
                {
                    await opened[i].Pages[j].ScreenshotAsync(new() { Path = Path.Combine(folder, $"{name}-{i}-{j}.png"), FullPage = true, Timeout = 5000 });
                }

                await opened[i].Tracing.StopAsync(new() { Path = Path.Combine(folder, $"{name}-{i}.trace.zip") });
            }
            catch (PlaywrightException)
            {
                // A closed page or a crashed browser: the test's own failure is what matters.
            }
        }
    }

    async Task CloseAsync(IBrowserContext context)
    {
        lock (contexts)
        {
            contexts.Remove(context);
        }

        try
        {
            await context.CloseAsync();
        }
        catch (PlaywrightException)
        {
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var context in contexts.ToList())
        {
            await CloseAsync(context);
        }

        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        playwright?.Dispose();
        foreach (var host in extraHosts.Append(HostA).Append(HostB).Where(h => h is not null))
        {
            await host.DisposeAsync();
        }

        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        repositoryFolder.Dispose();
        viewerGate.Dispose();
    }
}
