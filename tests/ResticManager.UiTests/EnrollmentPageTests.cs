using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace ResticManager.UiTests;

[Collection(UiFleetCollection.Name)]
public sealed partial class EnrollmentPageTests(UiFleet fleet)
{
    [GeneratedRegex(@"^curl -fsSL (?<server>\S+)/install/agent\.sh \| sudo sh -s -- --token (?<token>\S+)$")]
    private static partial Regex InstallCommand();

    [Fact]
    public Task A_host_enrolled_with_the_pages_own_snippet_appears_online() => fleet.RunAsync(async () =>
    {
        var page = await fleet.NewPageAsync();
        await page.GotoAsync("/enroll");
        await page.GetByLabel("Token lifetime").SelectOptionAsync(new SelectOptionValue { Label = "15 minutes" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Create enrollment token" }).ClickAsync();

        // What an operator would copy: the values come from the page, not from the test.
        var linux = page.GetByRole(AriaRole.Figure, new() { Name = "Linux install snippet" });
        await Expect(linux).ToContainTextAsync("--token rme_");
        var snippet = InstallCommand().Match((await linux.Locator("pre").InnerTextAsync()).Trim());
        Assert.True(snippet.Success, "the Linux snippet is the install one-liner: " + await linux.InnerTextAsync());
        Assert.Equal(fleet.Server.BaseUrl, snippet.Groups["server"].Value);
        await Expect(page.GetByLabel("Enrollment token")).ToHaveValueAsync(snippet.Groups["token"].Value);
        var windows = page.GetByRole(AriaRole.Figure, new() { Name = "Windows install snippet" });
        await Expect(windows).ToContainTextAsync($"iex \"& {{ $(irm {fleet.Server.BaseUrl}/install/agent.ps1) }} -Token {snippet.Groups["token"].Value}\"");
        // The script the snippet pipes into sh is there (what it does is the install tests' part).
        using var script = await fleet.Server.Anonymous.GetAsync("/install/agent.sh");
        Assert.Equal(System.Net.HttpStatusCode.OK, script.StatusCode);
        Assert.StartsWith("#!/bin/sh", await script.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await UiFleet.AssertAccessibleAsync(page);
        await UiFleet.ScreenshotAsync(page, "enrollment-token");

        await using var agent = await AgentProcess.EnrollAsync(snippet.Groups["server"].Value, snippet.Groups["token"].Value, "ui-enrolled-host");
        agent.Start();

        // Once the server has it online, the dashboard lists it and its page says so (live updates are the dashboard's tests).
        await fleet.Server.WaitForStatusAsync(agent.AgentId, "online", TimeSpan.FromSeconds(30));
        await page.GotoAsync("/");
        await Expect(page.GetByText("ui-enrolled-host").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await page.GotoAsync("/hosts/" + agent.AgentId);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("ui-enrolled-host");
        await Expect(page.GetByText(new Regex(@"\bonline\b", RegexOptions.IgnoreCase)).First).ToBeVisibleAsync(new() { Timeout = 30_000 });
    });
}
