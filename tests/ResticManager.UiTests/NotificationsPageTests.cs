using static Microsoft.Playwright.Assertions;

namespace ResticManager.UiTests;

/// <summary>The notifications page driven as a fleet admin would: a webhook channel to a real receiver, a test send, a rule.</summary>
[Collection(UiFleetCollection.Name)]
public sealed class NotificationsPageTests(UiFleet fleet)
{
    [Fact]
    public Task A_webhook_channel_and_a_rule_are_made_on_the_page_and_the_test_send_arrives_signed() => fleet.RunAsync(async () =>
    {
        const string secret = "ui-webhook-secret-1";
        await using var receiver = await WebhookReceiver.StartNewAsync(secret);
        var page = await fleet.NewPageAsync();
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Notifications" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1, Name = "Notifications" })).ToBeVisibleAsync();

        // A URL the server refuses: its message sits under the URL field, which gets the focus.
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a channel" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Add a channel" });
        await dialog.GetByLabel("Name").FillAsync("ui-hook");
        await dialog.GetByLabel("URL", new() { Exact = true }).FillAsync("ftp://example.test/hook");
        await dialog.GetByLabel("Signing secret").FillAsync(secret);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Add channel" }).ClickAsync();
        var url = dialog.GetByLabel("URL", new() { Exact = true });
        await Expect(url).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(url).ToBeFocusedAsync();
        await Expect(dialog.GetByText("must be an absolute http:// or https:// URL")).ToBeVisibleAsync();
        await UiFleet.AssertAccessibleAsync(page);
        await UiFleet.ScreenshotAsync(page, "notifications-channel-invalid");

        // The secret typed before the refusal is still in the form; with a good URL the channel is added.
        await url.FillAsync(receiver.Url);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Add channel" }).ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        var channel = page.GetByRole(AriaRole.Listitem).Filter(new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "ui-hook" }) });
        await Expect(channel).ToContainTextAsync(receiver.Url);

        await channel.GetByRole(AriaRole.Button, new() { Name = "Send test to ui-hook" }).ClickAsync();
        await Expect(channel.GetByRole(AriaRole.Status)).ToContainTextAsync("Test delivered");
        await Expect(channel.GetByRole(AriaRole.Status)).ToContainTextAsync("HTTP 200");
        Assert.Single(receiver.Deliveries);

        // Edited without touching the secret: the stored one is kept, so the next test is signed again.
        await channel.GetByRole(AriaRole.Button, new() { Name = "Edit ui-hook" }).ClickAsync();
        var edit = page.GetByRole(AriaRole.Dialog, new() { Name = "Edit ui-hook" });
        await Expect(edit.GetByText("Set — leave empty to keep.")).ToBeVisibleAsync();
        await Expect(edit.GetByLabel("Signing secret")).ToHaveValueAsync("");
        await edit.GetByLabel("Extra headers (optional)").FillAsync("X-Team: ops");
        await edit.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(edit).ToHaveCountAsync(0);
        await channel.GetByRole(AriaRole.Button, new() { Name = "Send test to ui-hook" }).ClickAsync();
        await Eventually.HoldsAsync(() => receiver.Deliveries.Count == 2, TimeSpan.FromSeconds(30), "the second test send reaches the receiver, signed with the kept secret");
        Assert.Equal(0, receiver.Rejected);
        Assert.Equal("ops", receiver.Deliveries[1].Request.Headers["X-Team"]);

        // A rule sending failed backups of every host to the channel.
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a rule" }).ClickAsync();
        var ruleDialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Add a rule" });
        await ruleDialog.GetByLabel("Name").FillAsync("ui-failures");
        await ruleDialog.GetByRole(AriaRole.Checkbox, new() { Name = "Host offline" }).CheckAsync();
        await ruleDialog.GetByRole(AriaRole.Checkbox, new() { Name = "ui-hook" }).CheckAsync();
        await ruleDialog.GetByLabel("Minimum duration (optional)").FillAsync("2m");
        await ruleDialog.GetByRole(AriaRole.Button, new() { Name = "Add rule" }).ClickAsync();
        await Expect(ruleDialog).ToHaveCountAsync(0);
        var rule = page.GetByRole(AriaRole.Listitem).Filter(new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "ui-failures" }) });
        await Expect(rule).ToContainTextAsync("Backup or job failed, Host offline");
        await Expect(rule).ToContainTextAsync("* → ui-hook · lasting at least 2m");
        await UiFleet.AssertAccessibleAsync(page);
        await UiFleet.ScreenshotAsync(page, "notifications-filled");

        // The channel cannot go while the rule uses it; the rule first, then the channel.
        await channel.GetByRole(AriaRole.Button, new() { Name = "Delete ui-hook" }).ClickAsync();
        var confirm = page.GetByRole(AriaRole.Dialog, new() { Name = "Delete ui-hook?" });
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Delete channel" }).ClickAsync();
        await Expect(confirm.GetByRole(AriaRole.Alert)).ToContainTextAsync("ui-failures");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await rule.GetByRole(AriaRole.Button, new() { Name = "Delete ui-failures" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog, new() { Name = "Delete ui-failures?" }).GetByRole(AriaRole.Button, new() { Name = "Delete rule" }).ClickAsync();
        await Expect(rule).ToHaveCountAsync(0);
        await channel.GetByRole(AriaRole.Button, new() { Name = "Delete ui-hook" }).ClickAsync();
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Delete channel" }).ClickAsync();
        await Expect(channel).ToHaveCountAsync(0);
    });
}
