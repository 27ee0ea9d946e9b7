using Microsoft.Playwright;

namespace ResticManager.UiTests;

/// <summary>
/// The dashboard's contract with the browser tests and the dashboard benchmark (linked into
/// tests/ResticManager.Benchmarks), by accessible names only: the host list is a grid or table named
/// "Hosts" with one row per host (its hostname in the row), and the search box is labelled "Search hosts".
/// </summary>
public static class Dashboard
{
    public static ILocator Hosts(IPage page) =>
        page.GetByRole(AriaRole.Grid, new() { Name = "Hosts" }).Or(page.GetByRole(AriaRole.Table, new() { Name = "Hosts" }));

    public static ILocator HostRow(IPage page, string hostname) =>
        Hosts(page).GetByRole(AriaRole.Row).Filter(new() { HasText = hostname });

    public static ILocator Search(IPage page) => page.GetByLabel("Search hosts");
}
