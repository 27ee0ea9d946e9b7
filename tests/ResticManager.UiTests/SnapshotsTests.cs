using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace ResticManager.UiTests;

/// <summary>
/// The snapshot pages against the fleet's real snapshot of host A's data folder (report.txt,
/// notes/todo.md, notes/old.md, photos/cat.bin): browsing it through the agent, and restoring from it
/// with the wizard, to another folder and onto host B, checked on disk.
/// </summary>
[Collection(UiFleetCollection.Name)]
public sealed class SnapshotsTests(UiFleet fleet)
{
    /// <summary>A restore job waits behind the host's running job and runs restic: more than the default 5 s.</summary>
    static readonly LocatorAssertionsToBeVisibleOptions Restic = new() { Timeout = 60_000 };

    string Data => fleet.HostA.DataPath;

    /// <summary>A file or folder of the tree by its name (its accessible name goes on with its kind, size and time).</summary>
    static ILocator Item(ILocator tree, string name) =>
        tree.GetByRole(AriaRole.Treeitem, new() { NameRegex = new Regex("^" + Regex.Escape(name) + "\\W+(File|Folder)\\b") });

    [Fact]
    public Task Browses_a_real_snapshot_through_the_agent() => fleet.RunAsync(async () =>
    {
        foreach (var viewport in new[] { UiFleet.Desktop, UiFleet.Phone })
        {
            var page = await fleet.NewPageAsync(viewport);
            await page.GotoAsync($"/hosts/{fleet.HostA.Id}/snapshots");
            await page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Browse snapshot ") }).First.ClickAsync();

            var tree = page.GetByRole(AriaRole.Tree);
            await Expect(tree).ToBeVisibleAsync(Restic);
            // Folder by folder from "/", each listed by the agent when opened.
            foreach (var folder in Data.Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                var item = Item(tree, folder);
                await Expect(item).ToHaveAttributeAsync("aria-expanded", "false", new() { Timeout = 30_000 });
                await tree.GetByText(folder, new() { Exact = true }).ClickAsync();
                await Expect(item).ToHaveAttributeAsync("aria-expanded", "true");
            }

            await Expect(Item(tree, "report.txt")).ToBeVisibleAsync(Restic);
            var notes = Item(tree, "notes");
            await notes.FocusAsync();
            await page.Keyboard.PressAsync("ArrowRight");
            await Expect(Item(tree, "todo.md")).ToBeVisibleAsync(Restic);
            await Expect(Item(tree, "old.md")).ToBeVisibleAsync();

            // One file selected: download it as is, or see every snapshot holding it.
            // Selected with the keyboard: Space on the item.
            await Item(tree, "report.txt").FocusAsync();
            await page.Keyboard.PressAsync("Space");
            await Expect(Item(tree, "report.txt")).ToHaveAttributeAsync("aria-selected", "true");
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Download report.txt" }))
                .ToHaveAttributeAsync("href", new Regex("/download\\?path=" + Regex.Escape(Uri.EscapeDataString(Data + "/report.txt"))));
            await page.GetByRole(AriaRole.Button, new() { Name = "Versions of report.txt" }).ClickAsync();
            var versions = page.GetByRole(AriaRole.Region, new() { NameRegex = new Regex("^Versions of ") });
            await Expect(versions.GetByRole(AriaRole.Link)).ToHaveCountAsync(1, new() { Timeout = 30_000 });
            await Expect(versions.GetByRole(AriaRole.Link)).ToContainTextAsync(fleet.SnapshotId[..8]);

            await UiFleet.AssertAccessibleAsync(page);
            await UiFleet.ScreenshotAsync(page, "snapshot-browser");
        }
    });

    [Fact]
    public Task Restores_two_selected_files_to_another_folder() => fleet.RunAsync(async () =>
    {
        using var target = new TempDirectory("rm-ui-restore");
        var page = await fleet.NewPageAsync();
        // Opened at notes/todo.md: its folders open by themselves.
        await page.GotoAsync($"/hosts/{fleet.HostA.Id}/snapshots/{fleet.SnapshotId}?path={Uri.EscapeDataString(Data + "/notes/todo.md")}");
        await page.GetByTitle("Select report.txt").CheckAsync(new() { Timeout = 30_000 });
        await page.GetByTitle("Select todo.md").CheckAsync(new() { Timeout = 30_000 });
        await Expect(page.GetByText("2 selected")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Restore…" }).ClickAsync();

        await Expect(page.GetByLabel("Paths to restore")).ToHaveValueAsync($"{Data}/notes/todo.md\n{Data}/report.txt");
        await page.GetByRole(AriaRole.Radio, new() { NameRegex = new Regex("^Another folder") }).CheckAsync();
        await page.GetByLabel("Target folder").FillAsync(target.Path);
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview restore" }).ClickAsync();

        await Expect(page.GetByText("Preview ready: 2 to create, 0 to overwrite, 0 to skip.")).ToBeVisibleAsync(Restic);
        var created = page.GetByRole(AriaRole.Region, new() { Name = "Would be created: 2 files" });
        await Expect(created.GetByRole(AriaRole.Listitem)).ToHaveTextAsync([target.Path + Data + "/notes/todo.md", target.Path + Data + "/report.txt"]);
        Assert.False(File.Exists(target.Path + Data + "/report.txt"), "a preview writes nothing");
        await UiFleet.ScreenshotAsync(page, "restore-preview");

        await page.GetByRole(AriaRole.Button, new() { Name = "Restore", Exact = true }).ClickAsync();
        await Expect(page.GetByText("Restore succeeded: 2 files restored, 0 skipped.")).ToBeVisibleAsync(Restic);
        Assert.Equal(await File.ReadAllTextAsync(Data + "/report.txt"), await File.ReadAllTextAsync(target.Path + Data + "/report.txt"));
        Assert.Equal(await File.ReadAllTextAsync(Data + "/notes/todo.md"), await File.ReadAllTextAsync(target.Path + Data + "/notes/todo.md"));
        Assert.False(File.Exists(target.Path + Data + "/notes/old.md"), "only the selected files are restored");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Open the job" }).Last).ToHaveAttributeAsync("href", new Regex("^/jobs/"));
        await UiFleet.AssertAccessibleAsync(page);
        await UiFleet.ScreenshotAsync(page, "restore-done");
    });

    [Fact]
    public Task Previews_a_changed_file_as_overwritten_and_writes_nothing() => fleet.RunAsync(async () =>
    {
        using var target = new TempDirectory("rm-ui-restore");
        var changed = target.Path + Data + "/report.txt";
        Directory.CreateDirectory(Path.GetDirectoryName(changed)!);
        await File.WriteAllTextAsync(changed, "changed here since the backup, and longer\n");

        var page = await fleet.NewPageAsync(UiFleet.Phone);
        await page.GotoAsync($"/hosts/{fleet.HostA.Id}/snapshots/restore?snapshot={fleet.SnapshotId}&path={Uri.EscapeDataString(Data)}");
        await page.GetByRole(AriaRole.Radio, new() { NameRegex = new Regex("^Another folder") }).CheckAsync();
        await page.GetByLabel("Target folder").FillAsync(target.Path);
        await page.GetByRole(AriaRole.Radio, new() { NameRegex = new Regex("^If changed") }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview restore" }).ClickAsync();

        var overwritten = page.GetByRole(AriaRole.Region, new() { Name = "Would be overwritten: 1 file" });
        await Expect(overwritten.GetByRole(AriaRole.Listitem)).ToHaveTextAsync([changed], new() { Timeout = 60_000 });
        await Expect(page.GetByText("Preview ready: 3 to create, 1 to overwrite, 0 to skip.")).ToBeVisibleAsync();
        Assert.Equal("changed here since the backup, and longer\n", await File.ReadAllTextAsync(changed));
        await UiFleet.AssertAccessibleAsync(page);
        await UiFleet.ScreenshotAsync(page, "restore-preview");
    });

    [Fact]
    public Task Restores_host_a_files_onto_host_b() => fleet.RunAsync(async () =>
    {
        using var target = new TempDirectory("rm-ui-restore-b");
        var page = await fleet.NewPageAsync();
        await page.GotoAsync($"/hosts/{fleet.HostA.Id}/snapshots/restore?snapshot={fleet.SnapshotId}&path={Uri.EscapeDataString(Data + "/report.txt")}");
        await page.GetByRole(AriaRole.Radio, new() { NameRegex = new Regex("^Another host") }).CheckAsync();
        await page.GetByLabel("Target host").SelectOptionAsync(new SelectOptionValue { Value = fleet.HostB.Id });
        await page.GetByLabel("Target folder on that host").FillAsync(target.Path);
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview restore" }).ClickAsync();
        await Expect(page.GetByText("Preview ready: 1 to create, 0 to overwrite, 0 to skip.")).ToBeVisibleAsync(Restic);

        await page.GetByRole(AriaRole.Button, new() { Name = "Restore", Exact = true }).ClickAsync();
        await Expect(page.GetByText("Restore succeeded: 1 file restored, 0 skipped.")).ToBeVisibleAsync(Restic);
        Assert.Equal("quarterly report of ui-host-a\n", await File.ReadAllTextAsync(target.Path + Data + "/report.txt"));
    });

    [Fact]
    public Task A_server_field_error_shows_next_to_its_field() => fleet.RunAsync(async () =>
    {
        var page = await fleet.NewPageAsync();
        await page.GotoAsync($"/hosts/{fleet.HostA.Id}/snapshots/restore?snapshot={fleet.SnapshotId}&path={Uri.EscapeDataString(Data + "/report.txt")}");
        await page.GetByRole(AriaRole.Radio, new() { NameRegex = new Regex("^Another folder") }).CheckAsync();
        await page.GetByLabel("Target folder").FillAsync("relative/folder");
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview restore" }).ClickAsync();

        var field = page.GetByLabel("Target folder");
        await Expect(field).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(field).ToHaveAccessibleDescriptionAsync(new Regex("absolute", RegexOptions.IgnoreCase));
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Restore", Exact = true })).ToBeDisabledAsync();
    });

    [Fact]
    public Task Compares_two_snapshots_and_searches_them() => fleet.RunAsync(async () =>
    {
        // A host of its own: two backups with a change between them, the fleet's host A keeps its one snapshot.
        var host = await fleet.AddHostAsync("ui-snapshot-diff");
        await host.BindAsync(fleet.Server, host.Folder.Combine("repo"), "snapshot-diff");
        await BackUpAsync(host);
        await File.WriteAllTextAsync(host.DataPath + "/report.txt", "quarterly report, revised and longer\n");
        await File.WriteAllTextAsync(host.DataPath + "/new.txt", "new\n");
        await BackUpAsync(host);
        await Eventually.HoldsAsync(async () => (await fleet.Server.GetSnapshotsAsync(host.Id)).GetProperty("snapshots").GetArrayLength() == 2,
            TimeSpan.FromSeconds(30), "both snapshots are listed");

        var page = await fleet.NewPageAsync();
        await page.GotoAsync($"/hosts/{host.Id}/snapshots");
        var compare = page.GetByRole(AriaRole.Checkbox, new() { NameRegex = new Regex("^Compare snapshot ") });
        await Expect(compare).ToHaveCountAsync(2);
        await compare.Nth(0).CheckAsync();
        await compare.Nth(1).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Compare selected" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex("^Changes from ") })).ToBeVisibleAsync();
        var changes = page.GetByRole(AriaRole.Region, new() { Name = "Changed paths" }).GetByRole(AriaRole.Row);
        await Expect(changes.Filter(new() { HasText = host.DataPath + "/new.txt" })).ToContainTextAsync("added", new() { Timeout = 30_000 });
        await Expect(changes.Filter(new() { HasText = host.DataPath + "/report.txt" })).ToContainTextAsync("modified");
        await page.GetByLabel("Show").SelectOptionAsync("added");
        await Expect(changes).ToHaveCountAsync(2); // the header row and new.txt
        await UiFleet.AssertAccessibleAsync(page);
        await UiFleet.ScreenshotAsync(page, "snapshot-diff");

        await page.GotoAsync($"/hosts/{host.Id}/snapshots/search");
        await page.GetByLabel("File name or pattern").FillAsync("new.txt");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = host.DataPath + "/new.txt" })).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await UiFleet.AssertAccessibleAsync(page);
    });

    async Task BackUpAsync(UiHost host)
    {
        var job = await fleet.Server.CreateJobAsync(host.Id, new { kind = "backup", paths = new[] { host.DataPath } });
        Assert.Equal("succeeded", (await fleet.Server.WaitForJobAsync(job, TimeSpan.FromMinutes(1))).GetProperty("status").GetString());
    }

    [Fact]
    public Task A_viewer_browses_without_download_or_restore() => fleet.RunAsync(async () =>
    {
        var page = await fleet.LoginAsViewerAsync();
        await page.GotoAsync($"/hosts/{fleet.HostA.Id}/snapshots/{fleet.SnapshotId}?path={Uri.EscapeDataString(Data + "/report.txt")}");
        await page.GetByTitle("Select report.txt").CheckAsync(new() { Timeout = 30_000 });
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Versions of report.txt" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Download") })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Restore") })).ToHaveCountAsync(0);
    });
}
