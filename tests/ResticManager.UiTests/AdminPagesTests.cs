using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace ResticManager.UiTests;

/// <summary>Users, API tokens and the audit log, driven through their pages as an admin would.</summary>
[Collection(UiFleetCollection.Name)]
public sealed class AdminPagesTests(UiFleet fleet)
{
    /// <summary>Every button that changes something on the host, job and snapshot pages.</summary>
    static readonly Regex ActionButton = new(@"^(Back up now|Run|Cancel|Restore|Download|Delete|Bind|Save)\b", RegexOptions.IgnoreCase);

    [Fact]
    public Task A_viewer_created_on_the_users_page_sees_no_action_buttons() => fleet.RunAsync(async () =>
    {
        var admin = await fleet.NewPageAsync();
        await admin.GotoAsync("/admin/users");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Create a user" }).ClickAsync();
        var dialog = admin.GetByRole(AriaRole.Dialog, new() { Name = "Create a user" });
        await dialog.GetByLabel("Username").FillAsync("ui-page-viewer");
        await dialog.GetByLabel("Password", new() { Exact = true }).FillAsync("viewer-from-the-page-1");
        var grant = dialog.GetByRole(AriaRole.Group, new() { Name = "Grant 1" });
        await grant.GetByLabel("Role").SelectOptionAsync(new SelectOptionValue { Value = "viewer" });

        // An invalid label scope is refused inline, next to its field, by the server's own rule.
        await grant.GetByLabel("Scope").SelectOptionAsync(new SelectOptionValue { Value = "label" });
        await grant.GetByLabel("Label").FillAsync("no equals sign");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create user" }).ClickAsync();
        await Expect(grant.GetByLabel("Label")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(grant.GetByLabel("Label")).ToBeFocusedAsync();
        await UiFleet.AssertAccessibleAsync(admin);
        await UiFleet.ScreenshotAsync(admin, "users-create-invalid");

        await grant.GetByLabel("Scope").SelectOptionAsync(new SelectOptionValue { Value = "all" });
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create user" }).ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        var row = admin.GetByRole(AriaRole.Row).Filter(new() { HasText = "ui-page-viewer" });
        await Expect(row).ToContainTextAsync("viewer on every host (*)");

        // A fresh browser, logged in through the login page.
        var page = await fleet.NewPageAsync(user: UiFleet.Anonymous);
        await page.GotoAsync("/login");
        await page.GetByLabel("Username").FillAsync("ui-page-viewer");
        await page.GetByLabel("Password").FillAsync("viewer-from-the-page-1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Log out" })).ToBeVisibleAsync();

        foreach (var path in new[]
                 {
                     "/", $"/hosts/{fleet.HostA.Id}", $"/jobs/{fleet.BackupJobId}", $"/hosts/{fleet.HostA.Id}/snapshots",
                     $"/hosts/{fleet.HostA.Id}/snapshots/{fleet.SnapshotId}",
                 })
        {
            await page.GotoAsync(path);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasTextRegex = new Regex("^Loading", RegexOptions.IgnoreCase) })).ToHaveCountAsync(0);
            await Expect(page.GetByRole(AriaRole.Button, new() { NameRegex = ActionButton })).ToHaveCountAsync(0);
        }

        // Their own account page, from the user area: who they are and the password form.
        await page.GetByRole(AriaRole.Link, new() { Name = "Your account" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1, Name = "Your account" })).ToBeVisibleAsync();
        await Expect(page.GetByText("viewer on every host (*)")).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Current password")).ToBeVisibleAsync();
        await page.GetByLabel("Current password").FillAsync("not-my-password-at-all");
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync("viewer-changed-it-2");
        await page.GetByLabel("Repeat the new password").FillAsync("viewer-changed-it-2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Expect(page.GetByLabel("Current password")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.GetByText("is not your current password")).ToBeVisibleAsync();
        await UiFleet.AssertAccessibleAsync(page);
        await UiFleet.ScreenshotAsync(page, "account");
        await page.GetByLabel("Current password").FillAsync("viewer-from-the-page-1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Password changed" })).ToBeVisibleAsync();

        // No admin pages in the navigation; reached by address, they say why.
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Users" })).ToHaveCountAsync(0);
        await page.GotoAsync("/admin/users");
        await Expect(page.GetByText("You need the admin role at every host (*)")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Create a user" })).ToHaveCountAsync(0);
    });

    [Fact]
    public Task An_api_token_is_shown_once_works_and_is_revoked_and_the_audit_log_lists_it() => fleet.RunAsync(async () =>
    {
        var page = await fleet.NewPageAsync();
        await page.GotoAsync("/admin/tokens");
        await page.GetByLabel("Token name").FillAsync("ui-report-token");
        await page.GetByRole(AriaRole.Group, new() { Name = "Grant 1" }).GetByLabel("Role").SelectOptionAsync(new SelectOptionValue { Value = "viewer" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Create token" }).ClickAsync();

        var secret = page.GetByLabel("API token secret");
        await Expect(page.GetByText("you will not see it again")).ToBeVisibleAsync();
        var token = await secret.InputValueAsync();
        Assert.False(string.IsNullOrEmpty(token));
        Assert.Equal(HttpStatusCode.OK, await MeStatusAsync(token));
        await UiFleet.ScreenshotAsync(page, "tokens-created");

        // Once: after Done (or leaving the page) the secret is nowhere on the page, the list has no secrets.
        await page.GetByRole(AriaRole.Button, new() { Name = "Done, I copied it" }).ClickAsync();
        await Expect(secret).ToHaveCountAsync(0);
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "ui-report-token" });
        await Expect(row).ToContainTextAsync("Active");
        Assert.DoesNotContain(token, await page.ContentAsync(), StringComparison.Ordinal);

        await row.GetByRole(AriaRole.Button, new() { Name = "Revoke ui-report-token" }).ClickAsync();
        var confirm = page.GetByRole(AriaRole.Dialog, new() { Name = "Revoke ui-report-token?" });
        await Expect(confirm.GetByRole(AriaRole.Button, new() { Name = "Cancel" })).ToBeFocusedAsync();
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Revoke token" }).ClickAsync();
        await Expect(confirm).ToHaveCountAsync(0);
        await Expect(row).ToContainTextAsync("Revoked");
        Assert.Equal(HttpStatusCode.Unauthorized, await MeStatusAsync(token));

        // The audit log shows who created and revoked it, filtered by action.
        await page.GotoAsync("/admin/audit");
        foreach (var action in new[] { "POST /api/api-tokens", "DELETE /api/api-tokens/{id}" })
        {
            await page.GetByLabel("Action").FillAsync(action);
            await page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();
            var entry = page.GetByRole(AriaRole.List, new() { Name = "Audit entries, newest first" }).GetByRole(AriaRole.Listitem).First;
            await Expect(entry).ToContainTextAsync(action);
            await Expect(entry).ToContainTextAsync(UiFleet.Admin.Name);
            await Expect(entry).ToContainTextAsync(new Regex(@"20\d done"));
        }

        await UiFleet.AssertAccessibleAsync(page);
        await UiFleet.ScreenshotAsync(page, "audit-filtered");
    });

    async Task<HttpStatusCode> MeStatusAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await fleet.Server.Anonymous.SendAsync(request);
        return response.StatusCode;
    }
}
