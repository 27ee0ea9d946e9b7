using System.Text.Json;
using ResticManager.Agent;
using ResticManager.Agent.Restic;
using ResticManager.Agent.Restore;
using ResticManager.Protocol;

namespace ResticManager.UnitTests;

/// <summary>The agent's restore rules on real files in temporary folders: overwrite policies, placement, and links never followed (POSIX: Windows agents refuse restores).</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AgentRestoreTests : IDisposable
{
    readonly TempDirectory temp = new("rm-restore-unit");
    readonly List<string> log = [];

    static readonly DateTimeOffset SnapshotTime = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    public void Dispose() => temp.Dispose();

    static ResticNode FileNode(string path, long size, DateTimeOffset? mtime = null) =>
        new(Path.GetFileName(path), path, EntryType.File, size, mtime ?? SnapshotTime, "-rw-r--r--", null);

    static ResticNode DirNode(string path) => new(Path.GetFileName(path), path, EntryType.Dir, null, SnapshotTime, "drwxr-xr-x", null);

    static StagingFolder Stage(string destination)
    {
        Directory.CreateDirectory(destination);
        return StagingFolder.TryCreate(destination, destination, out var problem) ?? throw new InvalidOperationException(problem);
    }

    string Write(string path, string content, DateTimeOffset? mtime = null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        File.SetLastWriteTimeUtc(path, (mtime ?? SnapshotTime).UtcDateTime);
        return path;
    }

    [Fact]
    public void Never_skips_an_existing_file_and_creates_a_missing_one()
    {
        var existing = Write(temp.Combine("a.txt"), "local");
        Assert.Equal(RestoreAction.Skip, OverwritePolicy.Decide(RestoreOverwrite.Never, FileNode(existing, 5), existing).Action);
        Assert.Equal(RestoreAction.Create, OverwritePolicy.Decide(RestoreOverwrite.Never, FileNode(temp.Combine("b.txt"), 5), temp.Combine("b.txt")).Action);
    }

    [Fact]
    public void Always_overwrites_even_an_identical_file()
    {
        var existing = Write(temp.Combine("a.txt"), "12345");
        Assert.Equal(RestoreAction.Overwrite, OverwritePolicy.Decide(RestoreOverwrite.Always, FileNode(existing, 5), existing).Action);
    }

    [Fact]
    public void If_changed_overwrites_on_another_size_or_time_and_skips_the_same_size_and_second()
    {
        var same = Write(temp.Combine("same.txt"), "12345", SnapshotTime.AddMilliseconds(300));
        var resized = Write(temp.Combine("resized.txt"), "123456");
        var touched = Write(temp.Combine("touched.txt"), "12345", SnapshotTime.AddMinutes(5));
        Assert.Equal(RestoreAction.Skip, OverwritePolicy.Decide(RestoreOverwrite.IfChanged, FileNode(same, 5), same).Action);
        Assert.Equal(RestoreAction.Overwrite, OverwritePolicy.Decide(RestoreOverwrite.IfChanged, FileNode(resized, 5), resized).Action);
        Assert.Equal(RestoreAction.Overwrite, OverwritePolicy.Decide(RestoreOverwrite.IfChanged, FileNode(touched, 5), touched).Action);
    }

    [Fact]
    public void If_newer_overwrites_only_an_older_file()
    {
        var older = Write(temp.Combine("older.txt"), "x", SnapshotTime.AddHours(-1));
        var newer = Write(temp.Combine("newer.txt"), "x", SnapshotTime.AddHours(1));
        Assert.Equal(RestoreAction.Overwrite, OverwritePolicy.Decide(RestoreOverwrite.IfNewer, FileNode(older, 1), older).Action);
        Assert.Equal(RestoreAction.Skip, OverwritePolicy.Decide(RestoreOverwrite.IfNewer, FileNode(newer, 1), newer).Action);
    }

    [Fact]
    public void A_folder_in_the_place_of_a_file_is_never_replaced()
    {
        Directory.CreateDirectory(temp.Combine("dir"));
        Assert.Equal(RestoreAction.Skip, OverwritePolicy.Decide(RestoreOverwrite.Always, FileNode(temp.Combine("dir"), 1), temp.Combine("dir")).Action);
    }

    [Fact]
    public void Placement_moves_staged_files_by_policy_and_replaces_a_link_at_the_destination_instead_of_writing_through_it()
    {
        var target = temp.Combine("target");
        var stage = Stage(target);
        var staging = stage.Path;
        var outside = Write(temp.Combine("outside", "victim.txt"), "must stay");
        Write(staging + "/srv/data/new.txt", "new content");
        Write(staging + "/srv/data/kept.txt", "snapshot copy");
        Write(staging + "/srv/data/link.txt", "snapshot copy of link.txt");
        Write(target + "/srv/data/kept.txt", "local copy");
        File.CreateSymbolicLink(target + "/srv/data/link.txt", outside);
        var tally = new RestoreTally(false, log.Add);
        var placement = new RestorePlacement(new RestoreLayout(target, ["/srv/data"]), RestoreOverwrite.IfChanged, tally, stage);

        placement.Apply(DirNode("/srv/data"));
        placement.Apply(FileNode("/srv/data/new.txt", 11));
        placement.Apply(FileNode("/srv/data/kept.txt", 10));
        placement.Apply(FileNode("/srv/data/link.txt", 25));

        Assert.Equal("new content", File.ReadAllText(target + "/srv/data/new.txt"));
        Assert.Equal("local copy", File.ReadAllText(target + "/srv/data/kept.txt"));
        Assert.Null(new FileInfo(target + "/srv/data/link.txt").LinkTarget);
        Assert.Equal("snapshot copy of link.txt", File.ReadAllText(target + "/srv/data/link.txt"));
        Assert.Equal("must stay", File.ReadAllText(outside));
        Assert.Equal((1, 1, 1), (tally.Created, tally.Overwritten, tally.Skipped));
        Assert.Equal(36, tally.Bytes);
        Assert.DoesNotContain(Directory.GetFiles(target + "/srv/data"), f => Path.GetFileName(f).Contains("restic-manager", StringComparison.Ordinal));
    }

    [Fact]
    public void A_folder_missing_at_its_destination_comes_over_whole_with_its_mode_and_time()
    {
        var target = temp.Combine("target");
        var stage = Stage(target);
        var staging = stage.Path;
        Write(staging + "/srv/data/docs/a.txt", "a");
        Write(staging + "/srv/data/docs/deeper/b.txt", "bb");
        File.SetUnixFileMode(staging + "/srv/data/docs", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.SetLastWriteTimeUtc(staging + "/srv/data/docs", SnapshotTime.UtcDateTime);
        var tally = new RestoreTally(false, log.Add);
        var placement = new RestorePlacement(new RestoreLayout(target, ["/srv/data"]), RestoreOverwrite.Never, tally, stage);

        placement.Apply(DirNode("/srv/data/docs"));
        placement.Apply(FileNode("/srv/data/docs/a.txt", 1));
        placement.Apply(DirNode("/srv/data/docs/deeper"));
        placement.Apply(FileNode("/srv/data/docs/deeper/b.txt", 2));

        Assert.Equal("bb", File.ReadAllText(target + "/srv/data/docs/deeper/b.txt"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(target + "/srv/data/docs"));
        Assert.Equal(SnapshotTime.UtcDateTime, Directory.GetLastWriteTimeUtc(target + "/srv/data/docs"));
        Assert.Equal((2, 0, 3), (tally.Created, tally.Skipped, tally.Bytes));
    }

    [Fact]
    public void A_link_among_the_folders_on_the_way_is_refused_and_nothing_is_written_where_it_points()
    {
        var target = temp.Combine("target");
        var stage = Stage(target);
        var staging = stage.Path;
        var elsewhere = temp.Combine("elsewhere");
        Directory.CreateDirectory(elsewhere);
        Write(staging + "/srv/data/sub/a.txt", "snapshot");
        Directory.CreateDirectory(target + "/srv/data");
        Directory.CreateSymbolicLink(target + "/srv/data/sub", elsewhere);
        var tally = new RestoreTally(false, log.Add);
        var placement = new RestorePlacement(new RestoreLayout(target, ["/srv/data"]), RestoreOverwrite.Always, tally, stage);

        placement.Apply(DirNode("/srv/data/sub"));
        placement.Apply(FileNode("/srv/data/sub/a.txt", 8));

        Assert.Empty(Directory.GetFileSystemEntries(elsewhere));
        Assert.Equal(1, tally.Refused);
        Assert.Contains("symbolic link", tally.Error);
        Assert.Contains(log, l => l.StartsWith("refused " + target + "/srv/data/sub/a.txt", StringComparison.Ordinal));
    }

    [Fact]
    public void An_original_restore_trusts_the_folder_above_the_snapshot_path_and_checks_the_snapshot_path_itself()
    {
        var root = temp.Combine("data");
        Directory.CreateSymbolicLink(root, temp.Combine("elsewhere"));
        var layout = new RestoreLayout(null, [root]);
        Assert.Equal(temp.Path, layout.TrustedFolder(root + "/a.txt"));
        Assert.Equal(root + "/a.txt", layout.Destination(root + "/a.txt"));
        Assert.Contains("symbolic link", SafeFolders.Prepare(temp.Path, root, create: true));
    }

    [Fact]
    public void A_dry_run_decides_without_creating_folders_or_files()
    {
        var target = temp.Combine("target");
        Write(target + "/srv/data/kept.txt", "local copy");
        var tally = new RestoreTally(true, log.Add);
        var planner = new RestorePlacement(new RestoreLayout(target, ["/srv/data"]), RestoreOverwrite.Always, tally, null);

        planner.Apply(DirNode("/srv/data/new"));
        planner.Apply(FileNode("/srv/data/new/a.txt", 3));
        planner.Apply(FileNode("/srv/data/kept.txt", 3));

        Assert.False(Directory.Exists(target + "/srv/data/new"));
        Assert.Equal("local copy", File.ReadAllText(target + "/srv/data/kept.txt"));
        var summary = tally.Summary();
        Assert.True(summary.GetProperty("dry_run").GetBoolean());
        Assert.Equal([target + "/srv/data/new/a.txt"], summary.GetProperty("created").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal([target + "/srv/data/kept.txt"], summary.GetProperty("overwritten").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(["would create " + target + "/srv/data/new/a.txt", "would overwrite " + target + "/srv/data/kept.txt"], log);
    }

    [Fact]
    public void The_log_is_bounded_and_says_how_many_more_there_were()
    {
        var tally = new RestoreTally(false, log.Add);
        for (var i = 0; i < RestoreTally.MaxLogged + 5; i++)
        {
            tally.Record(new RestoreDecision(RestoreAction.Skip, "exists"), $"/f{i}", 0);
        }

        tally.Flush();
        Assert.Equal(RestoreTally.MaxLogged + 1, log.Count);
        Assert.Contains("5 more", log[^1]);
        Assert.Equal(RestoreTally.MaxListed, tally.Summary().GetProperty("skipped").GetArrayLength());
    }

    [Fact]
    public void The_summarys_lists_are_bounded_in_characters_and_a_problem_after_many_long_paths_is_still_the_error()
    {
        var tally = new RestoreTally(false, log.Add);
        var longName = "/" + new string('x', 4000);
        for (var i = 0; i < RestoreTally.MaxListed; i++)
        {
            tally.Record(new RestoreDecision(RestoreAction.Create), $"{longName}/{i}", 0);
            tally.Fail($"{longName}/failed-{i}", "restic did not restore it");
        }

        var summary = tally.Summary().GetRawText();
        Assert.InRange(summary.Length, 1, 6 * RestoreTally.MaxListedCharacters);
        Assert.Equal(2, tally.Summary().GetProperty("created").GetArrayLength());
        Assert.StartsWith($"{RestoreTally.MaxListed} file(s) not restored, e.g. {longName}/failed-0: restic did not restore it", tally.Error);
    }

    [Fact]
    public void The_listing_keeps_the_snapshot_paths_and_only_nodes_within_the_requested_paths()
    {
        string[] lines =
        [
            """{"time":"2026-11-23T17:26:33Z","paths":["/srv/demo/src"],"hostname":"vm","id":"b0cb","short_id":"b0cb","struct_type":"snapshot"}""",
            """{"name":"sub","type":"dir","path":"/srv/demo/src/sub","mode":2147484141,"struct_type":"node"}""",
            """{"name":"b.txt","type":"file","path":"/srv/demo/src/sub/b.txt","size":6,"mtime":"2026-11-23T17:26:32.8Z","struct_type":"node"}""",
            """{"name":"sub2","type":"dir","path":"/srv/demo/src/sub2","struct_type":"node"}""",
        ];
        var listing = RestoreListing.Parse(lines, ["/srv/demo/src/sub"]);
        Assert.Equal(["/srv/demo/src"], listing.SnapshotPaths);
        Assert.Equal(["/srv/demo/src/sub", "/srv/demo/src/sub/b.txt"], listing.Nodes.Select(n => n.Path));
    }
}
