using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace ResticManager.UiTests;

/// <summary>Every route of web/src/app/routes.tsx, at desktop and phone width: it renders, axe finds nothing serious, a screenshot is kept.</summary>
[Collection(UiFleetCollection.Name)]
public sealed class EveryPageTests(UiFleet fleet)
{
    /// <summary>
    /// Screenshot name and path; {hostA}, {job} and {snapshot} stand for the fleet's host A, its backup
    /// job and the snapshot it made. A new page adds its row here.
    /// </summary>
    public static TheoryData<string, string> Pages { get; } = new()
    {
        { "login", "/login" },
        { "dashboard", "/" },
        { "host", "/hosts/{hostA}" },
        { "snapshots", "/hosts/{hostA}/snapshots" },
        { "snapshot-browser", "/hosts/{hostA}/snapshots/{snapshot}" },
        { "snapshot-diff", "/hosts/{hostA}/snapshots/{snapshot}/diff/{snapshot}" },
        { "snapshot-search", "/hosts/{hostA}/snapshots/search?pattern=*" },
        { "restore-wizard", "/hosts/{hostA}/snapshots/restore?snapshot={snapshot}" },
        { "job", "/jobs/{job}" },
        { "enrollment", "/enroll" },
        { "users", "/admin/users" },
        { "tokens", "/admin/tokens" },
        { "audit", "/admin/audit" },
        { "notifications", "/admin/notifications" },
        { "account", "/account" },
        { "not-found", "/no-such-page" },
    };

    public static TheoryData<string, string, bool> PagesAtBothWidths { get; } = Both();

    static TheoryData<string, string, bool> Both()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var row in Pages)
        {
            data.Add((string)row[0], (string)row[1], false);
            data.Add((string)row[0], (string)row[1], true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PagesAtBothWidths))]
    public Task Every_page_is_accessible_and_screenshotted(string name, string path, bool phone) => fleet.RunAsync(async () =>
    {
        var url = path.Replace("{hostA}", fleet.HostA.Id, StringComparison.Ordinal)
            .Replace("{job}", fleet.BackupJobId, StringComparison.Ordinal)
            .Replace("{snapshot}", fleet.SnapshotId, StringComparison.Ordinal);
        var page = await fleet.NewPageAsync(phone ? UiFleet.Phone : UiFleet.Desktop, name == "login" ? UiFleet.Anonymous : null);
        await page.GotoAsync(url);

        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
        if (name != "not-found")
        {
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1, Name = "Page not found" })).ToHaveCountAsync(0);
        }

        if (name != "login")
        {
            await Expect(page).Not.ToHaveURLAsync(new Regex("/login"));
        }

        // Loaded, not a spinner: the screenshot and the accessibility check are of the page itself.
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasTextRegex = new Regex("^Loading", RegexOptions.IgnoreCase) })).ToHaveCountAsync(0);
        await UiFleet.AssertAccessibleAsync(page);
        await UiFleet.ScreenshotAsync(page, name);
    }, $"page-{name}-{(phone ? "375" : "desktop")}");
}
