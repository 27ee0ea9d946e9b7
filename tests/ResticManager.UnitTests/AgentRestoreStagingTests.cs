using System.Diagnostics;
using ResticManager.Agent.Restic;
using ResticManager.Agent.Restore;
using ResticManager.Protocol;

namespace ResticManager.UnitTests;

/// <summary>
/// Where a restore stages and what placement trusts, against a local user (uid 1000, made with chown: the
/// tests run as root) who owns folders on the way, and across file systems (<c>/dev/shm</c> is a tmpfs).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AgentRestoreStagingTests : IDisposable
{
    const int Alice = 1000;
    const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    readonly TempDirectory temp = new("rm-restore-staging");
    readonly List<string> log = [];
    readonly List<string> cleanUp = [];

    public void Dispose()
    {
        foreach (var folder in cleanUp)
        {
            Directory.Delete(folder, recursive: true);
        }

        temp.Dispose();
    }

    static ResticNode FileNode(string path, long size) =>
        new(Path.GetFileName(path), path, EntryType.File, size, DateTimeOffset.UnixEpoch, "-rw-r--r--", null);

    static ResticNode LinkNode(string path, string target) =>
        new(Path.GetFileName(path), path, EntryType.Symlink, null, DateTimeOffset.UnixEpoch, "Lrwxrwxrwx", target);

    static ResticNode DirNode(string path) => new(Path.GetFileName(path), path, EntryType.Dir, null, DateTimeOffset.UnixEpoch, "drwxr-xr-x", null);

    static string Write(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    static void ChangeOwner(string path, int uid)
    {
        using var chown = Process.Start("chown", ["-h", $"{uid}:{uid}", path]);
        chown.WaitForExit();
        Assert.Equal(0, chown.ExitCode);
    }

    static StagingFolder Stage(string destination, string? trusted = null) =>
        StagingFolder.TryCreate(destination, trusted ?? destination, out var problem) ?? throw new InvalidOperationException(problem);

    static FileStatus Status(string path) => Posix.Status(path) ?? throw new FileNotFoundException(path);

    [Fact]
    public void An_original_restore_into_a_users_folder_stages_above_it_in_a_folder_only_root_can_reach()
    {
        var home = temp.Combine("home");
        var alice = temp.Combine("home", "alice");
        Directory.CreateDirectory(alice + "/docs");
        ChangeOwner(alice, Alice);
        ChangeOwner(alice + "/docs", Alice);

        var staging = Stage(alice + "/docs/a.txt", alice);

        Assert.Equal(home, Path.GetDirectoryName(staging.Path));
        var status = Status(staging.Path);
        Assert.Equal((EntryState.Directory, 0u, OwnerOnly), (status.State, status.Owner, status.Mode));
        Assert.True(staging.IsIntact());
        Assert.Null(staging.Delete());
        Assert.False(Directory.Exists(staging.Path));
    }

    [Fact]
    public void A_folder_others_can_write_to_without_the_sticky_bit_is_never_a_staging_parent()
    {
        var shared = temp.Combine("shared");
        Directory.CreateDirectory(shared + "/restore");
        File.SetUnixFileMode(shared, File.GetUnixFileMode(shared) | UnixFileMode.OtherWrite | UnixFileMode.GroupWrite);

        var staging = Stage(shared + "/restore");

        Assert.Equal(temp.Path, Path.GetDirectoryName(staging.Path));
        staging.Delete();
    }

    [Fact]
    public void A_staging_folder_swapped_for_a_link_is_neither_placed_from_nor_deleted_through()
    {
        var target = temp.Combine("target");
        Directory.CreateDirectory(target);
        var staging = Stage(target);
        var planted = Write(temp.Combine("planted", "srv", "a.txt"), "planted by someone");
        Directory.Move(staging.Path, temp.Combine("moved-away"));
        Directory.CreateSymbolicLink(staging.Path, temp.Combine("planted"));
        var tally = new RestoreTally(false, log.Add);

        new RestorePlacement(new RestoreLayout(target, ["/srv"]), RestoreOverwrite.Always, tally, staging).Apply(FileNode("/srv/a.txt", 18));

        Assert.False(File.Exists(target + "/srv/a.txt"));
        Assert.Equal(1, tally.Failed);
        Assert.Contains("was replaced", tally.Error);
        Assert.Contains("left alone", staging.Delete());
        Assert.True(File.Exists(planted));
    }

    [Fact]
    public void A_staged_folder_that_is_a_link_is_not_placed_from()
    {
        var target = temp.Combine("target");
        var etc = Write(temp.Combine("etc", "passwd"), "root:x:0:0");
        Directory.CreateDirectory(target + "/srv/docs");
        var staging = Stage(target);
        Directory.CreateDirectory(staging.Path + "/srv");
        Directory.CreateSymbolicLink(staging.Path + "/srv/docs", temp.Combine("etc"));
        var tally = new RestoreTally(false, log.Add);
        var placement = new RestorePlacement(new RestoreLayout(target, ["/srv"]), RestoreOverwrite.Always, tally, staging);

        placement.Apply(DirNode("/srv/docs"));
        placement.Apply(FileNode("/srv/docs/passwd", 10));

        Assert.False(File.Exists(target + "/srv/docs/passwd"));
        Assert.Equal("root:x:0:0", File.ReadAllText(etc));
        Assert.Equal(1, tally.Failed);
        Assert.Contains("symlink where the snapshot has a folder", tally.Error);
        Assert.Null(staging.Delete());
        Assert.True(File.Exists(etc), "deleting the staging folder does not follow its links");
    }

    [Fact]
    public void A_folder_on_the_way_swapped_for_a_link_after_an_earlier_file_is_seen_before_the_next_rename()
    {
        var target = temp.Combine("target");
        var elsewhere = temp.Combine("elsewhere");
        Directory.CreateDirectory(elsewhere);
        Directory.CreateDirectory(target + "/srv/sub");
        var staging = Stage(target);
        Write(staging.Path + "/srv/sub/a.txt", "a");
        Write(staging.Path + "/srv/sub/b.txt", "b");
        var tally = new RestoreTally(false, log.Add);
        var placement = new RestorePlacement(new RestoreLayout(target, ["/srv"]), RestoreOverwrite.Always, tally, staging);

        placement.Apply(FileNode("/srv/sub/a.txt", 1));
        Directory.Move(target + "/srv/sub", target + "/srv/sub-old");
        Directory.CreateSymbolicLink(target + "/srv/sub", elsewhere);
        placement.Apply(FileNode("/srv/sub/b.txt", 1));

        Assert.Equal("a", File.ReadAllText(target + "/srv/sub-old/a.txt"));
        Assert.Empty(Directory.GetFileSystemEntries(elsewhere));
        Assert.Equal((1, 1), (tally.Created, tally.Refused));
        staging.Delete();
    }

    [Fact]
    public void Staging_goes_on_the_destinations_file_system_and_nothing_is_copied_across_file_systems()
    {
        var other = Path.Combine("/dev/shm", $"rm-restore-{Guid.NewGuid():N}");
        Directory.CreateDirectory(other);
        cleanUp.Add(other);
        Assert.NotEqual(Status(temp.Path).Device, Status(other).Device);

        // The restored path is the file system's top (a mount point, like /home): its trusted parent is on
        // another file system, so the staging folder goes below, on the destination's.
        var onDestination = Stage(other + "/home/alice/a.txt", "/");
        Assert.Equal("/dev/shm", Path.GetDirectoryName(onDestination.Path));
        Assert.Equal(Status(other).Device, Status(onDestination.Path).Device);
        onDestination.Delete();

        // A staging folder on another file system (as the old "next to the snapshot path" rule gave for a mount point):
        // a link must not arrive as a regular file holding its target's contents, nor a file as a copy.
        var secret = Write(temp.Combine("secret.txt"), "another user's secret");
        var staging = Stage(temp.Combine("stage-here"));
        Directory.CreateDirectory(staging.Path + "/srv");
        File.CreateSymbolicLink(staging.Path + "/srv/link", secret);
        Write(staging.Path + "/srv/file.txt", "content");
        var tally = new RestoreTally(false, log.Add);
        var placement = new RestorePlacement(new RestoreLayout(other, ["/srv"]), RestoreOverwrite.Always, tally, staging);
        Directory.CreateDirectory(other + "/srv");

        placement.Apply(LinkNode("/srv/link", secret));
        placement.Apply(FileNode("/srv/file.txt", 7));

        Assert.Equal(EntryState.Missing, Entries.Inspect(other + "/srv/link"));
        Assert.Equal(EntryState.Missing, Entries.Inspect(other + "/srv/file.txt"));
        Assert.Equal(2, tally.Failed);
        Assert.Contains("another file system", tally.Error);
        staging.Delete();
    }

    [Fact]
    public void An_existing_destination_folder_keeps_its_owner_and_mode_and_a_staged_link_arrives_as_a_link()
    {
        var target = temp.Combine("target");
        Directory.CreateDirectory(target + "/srv/docs");
        ChangeOwner(target + "/srv/docs", Alice);
        File.SetUnixFileMode(target + "/srv/docs", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        var before = Status(target + "/srv/docs");
        var staging = Stage(target);
        Directory.CreateDirectory(staging.Path + "/srv/docs");
        File.SetUnixFileMode(staging.Path + "/srv/docs", OwnerOnly);
        Write(staging.Path + "/srv/docs/a.txt", "a");
        File.CreateSymbolicLink(staging.Path + "/srv/docs/link", "/etc/hostname");
        var tally = new RestoreTally(false, log.Add);
        var placement = new RestorePlacement(new RestoreLayout(target, ["/srv"]), RestoreOverwrite.Always, tally, staging);

        placement.Apply(DirNode("/srv/docs"));
        placement.Apply(FileNode("/srv/docs/a.txt", 1));
        placement.Apply(LinkNode("/srv/docs/link", "/etc/hostname"));

        var after = Status(target + "/srv/docs");
        Assert.Equal((before.Inode, before.Owner, before.Mode), (after.Inode, after.Owner, after.Mode));
        Assert.Equal("/etc/hostname", new FileInfo(target + "/srv/docs/link").LinkTarget);
        Assert.Equal(2, tally.Created);
        staging.Delete();
    }

    [Fact]
    public void A_file_with_a_name_of_250_bytes_is_placed_over_an_existing_one()
    {
        var target = temp.Combine("target");
        var name = new string('n', 250);
        Write(target + "/srv/" + name, "old");
        var staging = Stage(target);
        Write(staging.Path + "/srv/" + name, "new");
        var tally = new RestoreTally(false, log.Add);

        new RestorePlacement(new RestoreLayout(target, ["/srv"]), RestoreOverwrite.Always, tally, staging).Apply(FileNode("/srv/" + name, 3));

        Assert.Equal("new", File.ReadAllText(target + "/srv/" + name));
        Assert.Equal((1, 0L), (tally.Overwritten, tally.Problems));
        Assert.Equal([name], Directory.GetFileSystemEntries(target + "/srv").Select(Path.GetFileName));
        staging.Delete();
    }

    [Fact]
    public void An_empty_folder_below_a_folder_moved_over_whole_is_created()
    {
        var target = temp.Combine("target");
        Directory.CreateDirectory(target + "/srv");
        var staging = Stage(target);

        // restic was named the files only: it restored their folders, not the empty one.
        Write(staging.Path + "/srv/docs/a.txt", "a");
        var tally = new RestoreTally(false, log.Add);
        var placement = new RestorePlacement(new RestoreLayout(target, ["/srv"]), RestoreOverwrite.Never, tally, staging);

        placement.Apply(DirNode("/srv/docs"));
        placement.Apply(FileNode("/srv/docs/a.txt", 1));
        placement.Apply(DirNode("/srv/docs/empty"));
        placement.Apply(DirNode("/srv/docs/empty/deeper"));

        Assert.Equal("a", File.ReadAllText(target + "/srv/docs/a.txt"));
        Assert.True(Directory.Exists(target + "/srv/docs/empty/deeper"));
        Assert.Equal((1, 0L), (tally.Created, tally.Problems));
        staging.Delete();
    }
}
