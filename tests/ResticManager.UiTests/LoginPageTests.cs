using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace ResticManager.UiTests;

[Collection(UiFleetCollection.Name)]
public sealed class LoginPageTests(UiFleet fleet)
{
    static readonly Regex SingleSignOn = new("^Log in with", RegexOptions.IgnoreCase);

    [Fact]
    public Task Login_page_offers_local_login() => fleet.RunAsync(async () =>
    {
        var page = await fleet.NewPageAsync(user: UiFleet.Anonymous);
        await page.GotoAsync("/hosts/" + fleet.HostA.Id);

        // Not logged in: the login page, which brings the user back to where they were going.
        await Expect(page).ToHaveURLAsync(new Regex("/login"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { NameRegex = SingleSignOn })).ToHaveCountAsync(0);

        await page.GetByLabel("Username").FillAsync(UiFleet.Admin.Name);
        await page.GetByLabel("Password").FillAsync("not-the-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Wrong username or password");
        await Expect(page).ToHaveURLAsync(new Regex("/login"));

        await page.GetByLabel("Password").FillAsync(UiFleet.Admin.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/hosts/{fleet.HostA.Id}$"));
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Log out" })).ToBeVisibleAsync();
    });

    [Fact]
    public Task Login_page_offers_single_sign_on_when_configured() => fleet.RunAsync(async () =>
    {
        // The button needs only the setting: an unreachable provider would answer 503 when clicked, not here.
        var settings = await WebUi.ServerSettingsAsync();
        settings["Auth:Oidc:Authority"] = $"http://127.0.0.1:{FreePort.Next()}/";
        settings["Auth:Oidc:ClientId"] = "rm";
        settings["Auth:Oidc:RequireHttpsMetadata"] = "false";
        settings["Auth:Oidc:DisplayName"] = "Company login";
        await using var server = await ServerProcess.StartAsync(settings);
        var page = await fleet.NewPageAsync(user: UiFleet.Anonymous);
        await page.GotoAsync(server.BaseUrl + "/login?returnUrl=%2Fenroll");

        var sso = page.GetByRole(AriaRole.Link, new() { Name = "Log in with Company login" });
        await Expect(sso).ToBeVisibleAsync();
        await Expect(sso).ToHaveAttributeAsync("href", "/api/session/oidc?returnUrl=%2Fenroll");
        await Expect(page.GetByLabel("Password")).ToBeVisibleAsync();
    });
}
