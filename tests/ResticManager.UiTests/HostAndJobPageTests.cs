using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace ResticManager.UiTests;

/// <summary>
/// The host page and the job page against real agents: bind a repository, create a source group and
/// schedule (an invalid cron refused next to its field), back up and read the job's result, cancel a
/// running backup. Each test has its own host (and repository), so the fleet's hosts A and B stay as
/// the other tests expect them.
/// </summary>
[Collection(UiFleetCollection.Name)]
public sealed class HostAndJobPageTests(UiFleet fleet)
{
    const string Password = "ui-host-page-repository";

    static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public Task Binding_a_repository_creating_a_group_and_schedule_and_cancelling_a_running_backup() => fleet.RunAsync(async () =>
    {
        var host = await fleet.AddHostAsync("ui-bind-host");
        using var repository = new TempDirectory("rm-ui-bind-repo");
        // A file restic must upload at 1 KiB/s: the backup runs for minutes, long enough to cancel.
        await File.WriteAllBytesAsync(Path.Combine(host.DataPath, "big.bin"), RandomBytes(3 * 1024 * 1024));

        var page = await fleet.NewPageAsync();
        await page.GotoAsync($"/hosts/{host.Id}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1, Name = host.Hostname })).ToBeVisibleAsync();

        // Bind through the form; the page shows the binding and never a secret.
        await page.GetByRole(AriaRole.Button, new() { Name = "Bind a repository" }).ClickAsync();
        var bind = page.GetByRole(AriaRole.Form, new() { Name = "Repository binding" });
        await bind.GetByLabel("Repository URL").FillAsync(repository.Combine("repo"));
        await bind.GetByLabel("Repository password").FillAsync(Password);
        await bind.GetByLabel("Upload limit (KiB/s, optional)").FillAsync("1");
        await bind.GetByRole(AriaRole.Button, new() { Name = "Bind the repository" }).ClickAsync();
        var binding = page.GetByRole(AriaRole.Region, new() { Name = "Repository", Exact = true });
        await Expect(binding).ToContainTextAsync(repository.Combine("repo"));
        await Expect(binding).ToContainTextAsync("up 1 KiB/s");
        await Expect(page.GetByText(Password)).ToHaveCountAsync(0);
        var init = await fleet.Server.WaitForInitJobAsync(host.Id, JobTimeout);
        Assert.Equal("succeeded", init.GetProperty("status").GetString());

        // A source group of the host's data folder.
        await page.GetByRole(AriaRole.Button, new() { Name = "New source group" }).ClickAsync();
        var groupForm = page.GetByRole(AriaRole.Form, new() { Name = "New source group" });
        await groupForm.GetByLabel("Name").FillAsync("data");
        await groupForm.GetByLabel("Paths to back up").FillAsync(host.DataPath);
        await groupForm.GetByLabel("Keep last").FillAsync("3");
        await groupForm.GetByRole(AriaRole.Button, new() { Name = "Create the source group" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Rowheader, new() { Name = "data", Exact = true })).ToBeVisibleAsync();

        // A schedule: the server's refusal of a bad cron shows next to the cron field; a good one is accepted.
        await page.GetByRole(AriaRole.Button, new() { Name = "New schedule" }).ClickAsync();
        var scheduleForm = page.GetByRole(AriaRole.Form, new() { Name = "New schedule" });
        var cron = scheduleForm.GetByLabel("Cron");
        await cron.FillAsync("61 * * * *");
        await scheduleForm.GetByLabel("Time zone").FillAsync("Europe/Paris");
        await Expect(scheduleForm.GetByRole(AriaRole.Checkbox, new() { Name = "data" })).ToBeCheckedAsync();
        await scheduleForm.GetByRole(AriaRole.Button, new() { Name = "Create the schedule" }).ClickAsync();
        await Expect(cron).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(cron).ToHaveAccessibleDescriptionAsync(new Regex("minute.*61"));
        await UiFleet.ScreenshotAsync(page, "host-cron-refused");
        await cron.FillAsync("0 3 * * *");
        await scheduleForm.GetByRole(AriaRole.Button, new() { Name = "Create the schedule" }).ClickAsync();
        await Expect(scheduleForm).ToHaveCountAsync(0);
        var schedules = page.GetByRole(AriaRole.Region, new() { Name = "Schedules table" });
        await Expect(schedules).ToContainTextAsync("0 3 * * *");
        await Expect(schedules).ToContainTextAsync("Europe/Paris");

        // Back up now opens the job page; cancel the running backup there.
        await page.GetByRole(AriaRole.Button, new() { Name = "Back up data now" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/jobs/[^/]+$"));
        var jobId = page.Url.Split('/')[^1];
        await fleet.Server.WaitForJobStatusAsync(jobId, "running", JobTimeout);
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("running", new() { Timeout = 30_000 });
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel job" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, cancel the job" }).ClickAsync();
        // ("Cancelling…" shows only until the agent has stopped restic, which can be quicker than a look.)
        var cancelled = await fleet.Server.WaitForJobAsync(jobId, JobTimeout);
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());

        // The final state reaches the page live, without a reload.
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("cancelled", new() { Timeout = 30_000 });
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Cancel job" })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Result", Exact = true })).ToBeVisibleAsync();
    });

    [Fact]
    public Task A_backup_run_from_the_host_page_ends_with_a_full_bar_its_summary_and_the_charts() => fleet.RunAsync(async () =>
    {
        var host = await fleet.AddHostAsync("ui-backup-host");
        using var repository = new TempDirectory("rm-ui-backup-repo");
        await host.BindAsync(fleet.Server, repository.Combine("repo"), Password);

        var page = await fleet.NewPageAsync();
        await page.GotoAsync($"/hosts/{host.Id}");
        await page.GetByRole(AriaRole.Button, new() { Name = "New source group" }).ClickAsync();
        var groupForm = page.GetByRole(AriaRole.Form, new() { Name = "New source group" });
        await groupForm.GetByLabel("Name").FillAsync("documents");
        await groupForm.GetByLabel("Paths to back up").FillAsync(host.DataPath);
        await groupForm.GetByRole(AriaRole.Button, new() { Name = "Create the source group" }).ClickAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Back up documents now" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/jobs/[^/]+$"));
        var jobId = page.Url.Split('/')[^1];
        var job = await fleet.Server.WaitForJobAsync(jobId, JobTimeout);
        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        var snapshotId = job.GetProperty("summary").GetProperty("snapshotId").GetString()!;

        // Live: the final state, the full bar, the summary and the log's last line arrive without a reload.
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("succeeded", new() { Timeout = 30_000 });
        var bar = page.GetByRole(AriaRole.Progressbar, new() { Name = "Job progress" });
        await Expect(bar).ToHaveAttributeAsync("aria-valuenow", "100");
        var result = page.GetByRole(AriaRole.Region, new() { Name = "Result", Exact = true });
        await Expect(result).ToContainTextAsync("4 new, 0 changed, 0 unmodified");
        await Expect(result.GetByRole(AriaRole.Link, new() { Name = snapshotId[..8] })).ToHaveAttributeAsync("href", $"/hosts/{host.Id}/snapshots/{snapshotId}");
        await Expect(page.GetByRole(AriaRole.Log, new() { Name = "Log" })).ToContainTextAsync("\"message_type\":\"summary\"");
        await UiFleet.AssertAccessibleAsync(page);
        await UiFleet.ScreenshotAsync(page, "job-backup-succeeded");

        // Back on the host page: the group backed up, the job listed, the charts drawn from its summary.
        await page.GetByRole(AriaRole.Link, new() { Name = host.Hostname }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1, Name = host.Hostname })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Recent jobs table" }).GetByRole(AriaRole.Link, new() { Name = "backup" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Data added per backup" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Backup duration" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Browse the snapshots") })).ToHaveAttributeAsync("href", $"/hosts/{host.Id}/snapshots");
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasTextRegex = new Regex("^Loading", RegexOptions.IgnoreCase) })).ToHaveCountAsync(0);
        await UiFleet.AssertAccessibleAsync(page);
        await UiFleet.ScreenshotAsync(page, "host-with-history");
        await page.SetViewportSizeAsync(UiFleet.Phone.Width, UiFleet.Phone.Height);
        await UiFleet.ScreenshotAsync(page, "host-with-history");
    });

    [Fact]
    public Task A_viewer_sees_the_host_and_job_pages_without_action_buttons() => fleet.RunAsync(async () =>
    {
        var page = await fleet.LoginAsViewerAsync();
        await page.GotoAsync($"/hosts/{fleet.HostA.Id}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 2, Name = "Repository", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Recent jobs table" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Button)).ToHaveCountAsync(0);

        await page.GotoAsync($"/jobs/{fleet.BackupJobId}");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("succeeded");
        await Expect(page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
    });

    static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }
}
