using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace ResticManager.UiTests;

[Collection(UiFleetCollection.Name)]
public sealed partial class EnrollmentPageTests(UiFleet fleet)
{
    [GeneratedRegex(@"enroll --server (?<server>\S+) --token (?<token>\S+) --config")]
    private static partial Regex EnrollCommand();

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
        var snippet = EnrollCommand().Match(await linux.InnerTextAsync());
        Assert.True(snippet.Success, "the Linux snippet holds an enroll command");
        Assert.Equal(fleet.Server.BaseUrl, snippet.Groups["server"].Value);
        await Expect(page.GetByLabel("Enrollment token")).ToHaveValueAsync(snippet.Groups["token"].Value);
        var windows = page.GetByRole(AriaRole.Figure, new() { Name = "Windows install snippet" });
        await Expect(windows).ToContainTextAsync($"ResticManager.Agent.exe enroll --server {fleet.Server.BaseUrl} --token {snippet.Groups["token"].Value}");
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
