using System.Text.Json;
using ResticManager.Agent.Restic;
using ResticManager.Protocol;

namespace ResticManager.UnitTests;

/// <summary>restic's output as 0.14 prints it (shared/reference) and as newer versions add to it: every field optional.</summary>
public sealed class ResticOutputTests
{
    [Fact]
    public void Status_lines_become_progress_whatever_fields_they_have()
    {
        Assert.True(ResticOutput.TryParseLine("""{"message_type":"status","percent_done":0,"total_files":1,"total_bytes":4000000}""", out var first));
        var early = ResticOutput.ToProgress("j1", first, DateTimeOffset.UnixEpoch);
        Assert.Equal(4_000_000, early.TotalBytes);
        Assert.Null(early.BytesDone);
        Assert.Null(early.SecondsElapsed);

        Assert.True(ResticOutput.TryParseLine("""{"message_type":"status","seconds_elapsed":1,"seconds_remaining":3,"percent_done":0.86,"total_files":3,"files_done":2,"total_bytes":11000000,"bytes_done":9499609,"current_files":["/srv/a"],"error_count":0,"future":true}""", out var mid));
        var progress = ResticOutput.ToProgress("j1", mid, DateTimeOffset.UnixEpoch);
        Assert.Equal("status", ResticOutput.MessageType(mid));
        Assert.Equal(9_499_609, progress.BytesDone);
        Assert.Equal(["/srv/a"], progress.CurrentFiles);
        Assert.Equal(3, progress.SecondsRemaining);
    }

    [Theory]
    [InlineData("restoring <Snapshot 88644d7c of [/srv/demo/src/a.txt]> to restore")]
    [InlineData("{not json")]
    [InlineData("")]
    [InlineData("Warning: at least one source file could not be read")]
    public void Text_lines_are_not_json(string line) => Assert.False(ResticOutput.TryParseLine(line, out _));

    [Fact]
    public void Snapshots_of_0_14_and_of_newer_restic_parse_with_optional_sizes()
    {
        const string v014 = """[{"time":"2026-11-23T17:26:05.738438531Z","tree":"29577d","paths":["/srv/demo/src"],"hostname":"vm","username":"root","id":"ef3dbc224011a7cfe2af445f43baeb25bf4db02dfa12f0f33cb62323e95f6298","short_id":"ef3dbc22"},{"time":"2026-11-23T17:26:32.102270286Z","tree":"97b49b","paths":["/srv/demo/src"],"hostname":"spikehost","username":"root","tags":["t1"],"id":"c21b4b8ce30a90a84ea15f5fd8b43fc743b6b3838a9f6d73f33a1d537c68e1bb","short_id":"c21b4b8c"}]""";
        var snapshots = ResticOutput.ParseSnapshots(v014)!;
        Assert.Equal(2, snapshots.Count);
        Assert.Equal("ef3dbc22", snapshots[0].ShortId);
        Assert.Null(snapshots[0].Tags);
        Assert.Equal(["t1"], snapshots[1].Tags);
        Assert.Null(snapshots[0].SizeBytes);

        const string v017 = """[{"time":"2026-11-23T17:26:05Z","paths":["/x"],"hostname":"vm","id":"abcdef0123456789","program_version":"restic 0.17.0","summary":{"total_files_processed":12,"total_bytes_processed":3400}}]""";
        var newer = Assert.Single(ResticOutput.ParseSnapshots(v017)!);
        Assert.Equal("abcdef01", newer.ShortId);
        Assert.Equal(3400, newer.SizeBytes);
        Assert.Equal(12, newer.FileCount);

        Assert.Null(ResticOutput.ParseSnapshots("Fatal: wrong password or no key found"));
    }

    [Fact]
    public void Forget_output_is_summarised_as_kept_and_removed()
    {
        const string output = """[{"tags":null,"host":"vm","paths":["/srv"],"keep":[{"id":"a"}],"remove":[{"id":"b"},{"id":"c"}],"reasons":[{"snapshot":{},"matches":["last snapshot"],"counters":{}}]}]""";
        var summary = ResticOutput.ForgetSummary(output)!.Value;
        Assert.Equal(1, summary.GetProperty("kept").GetInt32());
        Assert.Equal(2, summary.GetProperty("removed").GetInt32());
    }

    [Fact]
    public void The_error_is_restics_fatal_line_or_its_last_words()
    {
        Assert.Equal("Fatal: wrong password or no key found", ResticOutput.ErrorMessage(["some noise", "Fatal: wrong password or no key found"]));
        var locked = ResticOutput.ErrorMessage([
            """{"message_type":"error"}""",
            "unable to create lock in backend: repository is already locked by PID 18525 on vm by root (UID 0, GID 0)",
            "lock was created at 2026-11-23 17:27:03 (1.2s ago)",
            "storage ID 7a0d3aa1",
            "the `unlock` command can be used to remove stale locks"])!;
        Assert.StartsWith("unable to create lock in backend: repository is already locked", locked);
        Assert.Null(ResticOutput.ErrorMessage([]));
    }

    [Fact]
    public void A_refused_deletion_is_told_by_restics_error_not_its_retries_or_stack_trace()
    {
        // restic 0.14's forget against rclone serve restic --append-only, shortened.
        var message = ResticOutput.ErrorMessage([
            "Remove(<snapshot/98f415570e>) returned error, retrying after 552.330144ms: blob not removed, server response: 403 Forbidden (403)",
            "Remove(<snapshot/98f415570e>) returned error, retrying after 15.394871241s: blob not removed, server response: 403 Forbidden (403)",
            "unable to remove <snapshot/98f415570e> from the repository",
            "blob not removed, server response: 403 Forbidden (403)",
            "github.com/restic/restic/internal/backend/rest.(*Backend).Remove",
            "\tgithub.com/restic/restic/internal/backend/rest/rest.go:399",
            "main.deleteFiles.func2",
            "\tgithub.com/restic/restic/cmd/restic/delete.go:47",
            "runtime.goexit",
            "\truntime/asm_amd64.s:1594"]);
        Assert.Equal("unable to remove <snapshot/98f415570e> from the repository / blob not removed, server response: 403 Forbidden (403)", message);
    }
}

public sealed class ResticInvocationTests
{
    static RunJob Job(JobKind kind, RetentionPolicy? retention = null, IReadOnlyList<string>? paths = null, IReadOnlyList<string>? tags = null, JobOptions? options = null) =>
        new("j1", kind, paths, ["*.tmp"], tags, retention, options, null, DateTimeOffset.MaxValue);

    [Theory]
    [InlineData(JobKind.Backup)]
    [InlineData(JobKind.Forget)]
    [InlineData(JobKind.Stats)]
    public void Snapshot_selecting_commands_carry_the_enrolled_hostname(JobKind kind)
    {
        var args = ResticInvocation.JobArguments(Job(kind, new RetentionPolicy(KeepLast: 1), ["/srv"]), "web-1");
        var at = args.ToList().IndexOf("--host");
        Assert.True(at >= 0);
        Assert.Equal("web-1", args[at + 1]);
        Assert.Equal(["snapshots", "--json", "--no-lock", "--host", "web-1"], ResticInvocation.SnapshotsArguments("web-1"));
    }

    [Fact]
    public void Backup_passes_tags_excludes_and_paths_after_a_separator()
    {
        var args = ResticInvocation.JobArguments(Job(JobKind.Backup, paths: ["-odd-name", "/srv"], tags: ["daily"]), "h");
        Assert.Equal(["backup", "--json", "--host", "h", "--tag", "daily", "--exclude", "*.tmp", "--", "-odd-name", "/srv"], args);
    }

    [Fact]
    public void Forget_never_runs_with_an_empty_policy()
    {
        Assert.Throws<InvalidOperationException>(() => ResticInvocation.JobArguments(Job(JobKind.Forget, new RetentionPolicy()), "h"));
        Assert.Throws<InvalidOperationException>(() => ResticInvocation.JobArguments(Job(JobKind.Forget, new RetentionPolicy(KeepLast: 0)), "h"));
        var args = ResticInvocation.JobArguments(Job(JobKind.Forget, new RetentionPolicy(KeepDaily: 7, KeepWithin: "30d")), "h");
        Assert.Contains("--keep-daily", args);
        Assert.Contains("30d", args);
    }

    [Fact]
    public void Check_reads_the_requested_subset()
    {
        Assert.Equal(["check", "--read-data-subset=10%"], ResticInvocation.JobArguments(Job(JobKind.Check, options: new JobOptions(ReadDataSubsetPercent: 10)), "h"));
    }

    [Fact]
    public void Secrets_go_to_the_environment_and_limits_to_global_flags()
    {
        var repository = new RepositoryConfig("rest:https://backup.example:8000/host1", "s3cret", "user", "p@ss", new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = "k" }, 512, 1024);
        var info = ResticInvocation.StartInfo("restic", ["snapshots"], repository, "/cache");
        Assert.DoesNotContain(info.ArgumentList, a => a.Contains("s3cret", StringComparison.Ordinal) || a.Contains("p@ss", StringComparison.Ordinal));
        Assert.Equal("s3cret", info.Environment["RESTIC_PASSWORD"]);
        Assert.Equal("rest:https://user:p%40ss@backup.example:8000/host1", info.Environment["RESTIC_REPOSITORY"]);
        Assert.Equal("k", info.Environment["AWS_ACCESS_KEY_ID"]);
        Assert.Equal(["--cache-dir", "/cache", "--limit-upload", "512", "--limit-download", "1024", "snapshots"], info.ArgumentList);
    }
}
