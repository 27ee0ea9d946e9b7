using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace ResticManager.UiTests;

[Collection(UiFleetCollection.Name)]
public sealed class DashboardPageTests(UiFleet fleet)
{
    // The row's accessible name has its cells' texts apart (its text content runs them together).
    static readonly Regex Online = new(@"\bonline\b");

    [Fact]
    public Task Dashboard_shows_every_host_with_presence_and_last_backup_and_the_search_filters_them() => fleet.RunAsync(async () =>
    {
        var page = await fleet.NewPageAsync();
        await page.GotoAsync("/");

        var a = Dashboard.HostRow(page, fleet.HostA.Hostname);
        var b = Dashboard.HostRow(page, fleet.HostB.Hostname);
        await Expect(a).ToHaveAccessibleNameAsync(Online);
        await Expect(b).ToHaveAccessibleNameAsync(Online);
        await Expect(a.GetByRole(AriaRole.Link, new() { Name = fleet.HostA.Hostname })).ToHaveAttributeAsync("href", $"/hosts/{fleet.HostA.Id}");
        // Host A's fixture backup: its last result, and today's cell of the strip.
        await Expect(a).ToContainTextAsync("succeeded");
        await Expect(a.GetByRole(AriaRole.Img, new() { NameRegex = new Regex(@"^30 days: [1-9]\d* succeeded") })).ToBeVisibleAsync();
        await Expect(page.GetByText("Hosts online")).ToBeVisibleAsync();

        await Dashboard.Search(page).FillAsync(fleet.HostA.Hostname);
        await Expect(b).ToHaveCountAsync(0);
        await Expect(a).ToBeVisibleAsync();
        await Dashboard.Search(page).FillAsync("no-host-is-called-this");
        await Expect(page.GetByText("No hosts match these filters")).ToBeVisibleAsync();
        await Dashboard.Search(page).FillAsync("");
        await Expect(b).ToBeVisibleAsync();

        // At 375 px the rows become cards and still name their host and its presence.
        var phone = await fleet.NewPageAsync(UiFleet.Phone);
        await phone.GotoAsync("/");
        await Expect(Dashboard.HostRow(phone, fleet.HostA.Hostname)).ToHaveAccessibleNameAsync(Online);
        await UiFleet.ScreenshotAsync(phone, "dashboard-hosts");
    });

    [Fact]
    public Task A_running_backup_shows_its_progress_bar_linking_to_the_job() => fleet.RunAsync(async () =>
    {
        // A host of its own whose backup is slowed by an upload limit, so it runs long enough to watch.
        var host = await fleet.AddHostAsync("ui-dash-busy");
        await fleet.Server.BindRepositoryAsync(host.Id, host.Folder.Combine("repo"), "dash-busy", uploadLimitKBps: 256);
        var init = await fleet.Server.WaitForInitJobAsync(host.Id, TimeSpan.FromSeconds(60));
        Assert.Equal("succeeded", init.GetProperty("status").GetString());
        await File.WriteAllBytesAsync(Path.Combine(host.DataPath, "big.bin"), RandomNumberGenerator.GetBytes(8 * 1024 * 1024));

        var page = await fleet.NewPageAsync();
        await page.GotoAsync("/");
        var row = Dashboard.HostRow(page, host.Hostname);
        await Expect(row).ToHaveAccessibleNameAsync(Online);

        var jobId = await fleet.Server.CreateJobAsync(host.Id, new { kind = "backup", paths = new[] { host.DataPath } });
        try
        {
            var bar = row.GetByRole(AriaRole.Progressbar);
            await Expect(bar).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await Expect(row.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^backup ") })).ToHaveAttributeAsync("href", $"/jobs/{jobId}");
            await UiFleet.AssertAccessibleAsync(page);
        }
        finally
        {
            using var cancelled = await fleet.Server.Api.PostAsJsonAsync($"/api/jobs/{jobId}/cancel", new { });
        }
    });
}
