using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MQTTnet.Protocol;
using ResticManager.Agent;
using ResticManager.Agent.Queries;
using ResticManager.Protocol;

namespace ResticManager.UnitTests;

/// <summary>
/// Browsing a snapshot, the versions of a file and the diff of two snapshots, asked over a real MQTT
/// broker of a real agent running real restic against a real repository.
/// </summary>
public sealed class AgentQueryTests(AgentQueryRepository repo) : IClassFixture<AgentQueryRepository>, IAsyncLifetime
{
    readonly TempDirectory config = new("rm-agentq-config");
    AgentQueryHarness agent = null!;

    static DateTimeOffset Soon => DateTimeOffset.UtcNow.AddMinutes(1);

    public async Task InitializeAsync() => agent = await AgentQueryHarness.StartAsync(config.Path, AgentQueryRepository.Hostname, repo.Config);

    public async Task DisposeAsync()
    {
        await agent.DisposeAsync();
        config.Dispose();
    }

    [Fact]
    public async Task The_tree_of_the_root_is_the_snapshots_top_level_answered_with_the_mqtt_5_reply_properties()
    {
        var queryId = await agent.SendAsync(MessageTypes.QueryTree, new TreeQuery(repo.Second, "/", null, 100, Soon));
        var reply = await agent.FirstReplyAsync(queryId);

        Assert.Equal(Topics.Reply(AgentQueryHarness.AgentId, AgentQueryHarness.RequesterId), reply.Topic);
        Assert.Equal(AgentQueries.Ok, reply.Kind);
        Assert.Equal("application/json", reply.ContentType);
        Assert.Equal(MqttQualityOfServiceLevel.AtLeastOnce, reply.Qos);
        Assert.False(reply.Retain);
        Assert.Null(reply.Seq);
        var page = reply.Json<TreePage>();
        Assert.Equal("/", page.Path);
        var top = repo.Source.Split('/', StringSplitOptions.RemoveEmptyEntries)[0];
        var entry = Assert.Single(page.Items);
        Assert.Equal(new TreeEntry(top, "/" + top, EntryType.Dir, null, entry.Mtime, entry.Mode), entry);
        Assert.Null(page.NextCursor);
    }

    [Fact]
    public async Task The_tree_of_a_folder_lists_its_direct_children_folders_first_with_size_and_mode()
    {
        var page = await agent.AskAsync<TreePage>(MessageTypes.QueryTree, new TreeQuery(repo.Second, repo.Source + "/", null, 100, Soon));

        Assert.Equal(repo.Source, page.Path);
        Assert.Equal(["many", "odd", "sub", "a.txt", "big.bin"], page.Items.Select(i => i.Name));
        Assert.Equal([EntryType.Dir, EntryType.Dir, EntryType.Dir, EntryType.File, EntryType.File], page.Items.Select(i => i.Type));
        var a = page.Items.Single(i => i.Name == "a.txt");
        Assert.Equal(repo.Path("a.txt"), a.Path);
        Assert.Equal("second, longer version\n".Length, a.Size);
        Assert.Equal("-rw-r--r--", a.Mode);
        Assert.NotNull(a.Mtime);
        Assert.Null(page.Items[0].Size);

        var sub = await agent.AskAsync<TreePage>(MessageTypes.QueryTree, new TreeQuery(repo.Second, repo.Path("sub"), null, 100, Soon));
        Assert.Equal(["deep", "b.txt", "new.txt"], sub.Items.Select(i => i.Name));
        var older = await agent.AskAsync<TreePage>(MessageTypes.QueryTree, new TreeQuery(repo.First, repo.Path("sub"), null, 100, Soon));
        Assert.Equal(["deep", "b.txt"], older.Items.Select(i => i.Name));
    }

    [Fact]
    public async Task A_large_folder_pages_folders_first_and_later_pages_come_from_the_cache()
    {
        // A copy of the repository, moved away after the first page: the next pages cannot have run restic.
        using var copy = new TempDirectory("rm-agentq-copy");
        CopyFolder(repo.Repository, copy.Combine("repo"));
        await agent.DisposeAsync();
        agent = await AgentQueryHarness.StartAsync(config.Path, AgentQueryRepository.Hostname, repo.Config with { Url = copy.Combine("repo") });

        var names = new List<string>();
        var first = await agent.AskAsync<TreePage>(MessageTypes.QueryTree, new TreeQuery(repo.Second, repo.Path("many"), null, 7, Soon));
        Directory.Move(copy.Combine("repo"), copy.Combine("gone"));
        names.AddRange(first.Items.Select(i => i.Name));
        var cursor = first.NextCursor;
        var pages = 1;
        while (cursor is not null)
        {
            var page = await agent.AskAsync<TreePage>(MessageTypes.QueryTree, new TreeQuery(repo.Second, repo.Path("many"), cursor, 7, Soon));
            Assert.True(page.Items.Count is > 0 and <= 7);
            names.AddRange(page.Items.Select(i => i.Name));
            cursor = page.NextCursor;
            pages++;
        }

        var expected = Enumerable.Range(0, AgentQueryRepository.ManyFolders).Select(i => $"zdir{i}")
            .Concat(Enumerable.Range(0, AgentQueryRepository.ManyFiles).Select(i => $"f{i:D2}.txt"));
        Assert.Equal(expected, names);
        Assert.Equal(4, pages);

        // A folder never listed before needs restic, which no longer finds the repository.
        var error = await agent.FailAsync(MessageTypes.QueryTree, new TreeQuery(repo.Second, repo.Path("sub"), null, 7, Soon));
        Assert.Equal(QueryErrorCode.Restic, error.Code);
    }

    [Fact]
    public async Task A_path_or_snapshot_not_in_the_repository_is_not_found()
    {
        var missing = await agent.FailAsync(MessageTypes.QueryTree, new TreeQuery(repo.Second, repo.Path("nope"), null, 10, Soon));
        Assert.Equal(QueryErrorCode.NotFound, missing.Code);
        Assert.Contains(repo.Path("nope"), missing.Message);

        var newOnly = await agent.FailAsync(MessageTypes.QueryTree, new TreeQuery(repo.First, repo.Path("sub", "new.txt"), null, 10, Soon));
        Assert.Equal(QueryErrorCode.NotFound, newOnly.Code);

        var unknown = await agent.FailAsync(MessageTypes.QueryTree, new TreeQuery("deadbeefdeadbeef", "/", null, 10, Soon));
        Assert.Equal(QueryErrorCode.NotFound, unknown.Code);
        Assert.Contains("deadbeefdeadbeef", unknown.Message);
    }

    [Theory]
    [InlineData("relative/path", "path")]
    [InlineData("/a/../etc", "path")]
    [InlineData("", "path")]
    public async Task A_bad_path_is_a_bad_request_naming_the_field(string path, string field)
    {
        var error = await agent.FailAsync(MessageTypes.QueryTree, new TreeQuery(repo.Second, path, null, 10, Soon));
        Assert.Equal(QueryErrorCode.BadRequest, error.Code);
        Assert.StartsWith(field, error.Message);
    }

    [Fact]
    public async Task A_bad_snapshot_id_cursor_or_a_file_as_folder_is_a_bad_request()
    {
        Assert.Equal(QueryErrorCode.BadRequest, (await agent.FailAsync(MessageTypes.QueryTree, new TreeQuery("latest", "/", null, 10, Soon))).Code);
        Assert.Equal(QueryErrorCode.BadRequest, (await agent.FailAsync(MessageTypes.QueryTree, new TreeQuery(repo.Second, "/", "x", 10, Soon))).Code);
        var file = await agent.FailAsync(MessageTypes.QueryTree, new TreeQuery(repo.Second, repo.Path("a.txt"), null, 10, Soon));
        Assert.Equal(QueryErrorCode.BadRequest, file.Code);
        Assert.Contains("not a folder", file.Message);
    }

    [Fact]
    public async Task A_malformed_request_is_answered_bad_request()
    {
        var queryId = await agent.SendAsync(MessageTypes.QueryTree, "{ not json"u8.ToArray());
        var reply = await agent.FirstReplyAsync(queryId);
        Assert.Equal(AgentQueries.Error, reply.Kind);
        Assert.Equal(QueryErrorCode.BadRequest, reply.Json<QueryError>().Code);
    }

    [Fact]
    public async Task The_versions_of_a_file_by_exact_path_are_every_snapshot_holding_it_newest_first()
    {
        var page = await agent.AskAsync<FilePage>(MessageTypes.QueryFind, new FindQuery(repo.Path("a.txt"), null, null, 100, Soon));

        Assert.Equal([repo.Second, repo.First], page.Items.Select(v => v.SnapshotId));
        Assert.All(page.Items, v => Assert.Equal(repo.Path("a.txt"), v.Path));
        Assert.Equal(["second, longer version\n".Length, "first version\n".Length], page.Items.Select(v => v.Size));
        Assert.Equal([repo.SecondTime, repo.FirstTime], page.Items.Select(v => v.SnapshotTime!.Value));
        Assert.Null(page.NextCursor);

        var added = await agent.AskAsync<FilePage>(MessageTypes.QueryFind, new FindQuery(repo.Path("sub", "new.txt"), null, null, 100, Soon));
        Assert.Equal([repo.Second], added.Items.Select(v => v.SnapshotId));

        // Glob characters and a leading dash in the name are the name itself, not a pattern or an option.
        var odd = await agent.AskAsync<FilePage>(MessageTypes.QueryFind, new FindQuery(repo.Path("odd", AgentQueryRepository.OddName), null, null, 100, Soon));
        Assert.Equal([repo.Path("odd", AgentQueryRepository.OddName), repo.Path("odd", AgentQueryRepository.OddName)], odd.Items.Select(v => v.Path));
    }

    [Fact]
    public async Task The_versions_by_pattern_are_every_match_in_every_snapshot_paged()
    {
        var found = new List<FileVersion>();
        string? cursor = null;
        do
        {
            var page = await agent.AskAsync<FilePage>(MessageTypes.QueryFind, new FindQuery(null, "*.txt", cursor, 20, Soon));
            found.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        // a, b, c, the two odd ones and the many files in both snapshots, and new.txt in the second.
        var perSnapshot = 5 + AgentQueryRepository.ManyFiles;
        Assert.Equal(perSnapshot + 1, found.Count(v => v.SnapshotId == repo.Second));
        Assert.Equal(perSnapshot, found.Count(v => v.SnapshotId == repo.First));
        Assert.Equal(found.OrderByDescending(v => v.SnapshotTime).Select(v => v.SnapshotId), found.Select(v => v.SnapshotId));
    }

    [Fact]
    public async Task A_find_needs_exactly_one_of_path_and_pattern()
    {
        Assert.Equal(QueryErrorCode.BadRequest, (await agent.FailAsync(MessageTypes.QueryFind, new FindQuery(null, null, null, 10, Soon))).Code);
        Assert.Equal(QueryErrorCode.BadRequest, (await agent.FailAsync(MessageTypes.QueryFind, new FindQuery("/a", "*.txt", null, 10, Soon))).Code);
        Assert.Equal(QueryErrorCode.BadRequest, (await agent.FailAsync(MessageTypes.QueryFind, new FindQuery(null, "[", null, 10, Soon))).Code);
    }

    [Fact]
    public async Task The_diff_lists_exactly_the_changed_and_the_added_file_with_totals()
    {
        var page = await agent.AskAsync<DiffPage>(MessageTypes.QueryDiff, new DiffQuery(repo.First, repo.Second, null, 100, Soon));

        Assert.Equal(
            [new DiffEntry(repo.Path("a.txt"), DiffChange.Modified), new DiffEntry(repo.Path("sub", "new.txt"), DiffChange.Added)],
            page.Items.OrderBy(i => i.Path, StringComparer.Ordinal));
        Assert.Equal(1, page.Added.Files);
        Assert.Equal(0, page.Removed.Files);
        Assert.True(page.Added.Bytes > 0);

        var back = await agent.AskAsync<DiffPage>(MessageTypes.QueryDiff, new DiffQuery(repo.Second, repo.First, null, 1, Soon));
        Assert.Single(back.Items);
        Assert.NotNull(back.NextCursor);
        var rest = await agent.AskAsync<DiffPage>(MessageTypes.QueryDiff, new DiffQuery(repo.Second, repo.First, back.NextCursor, 1, Soon));
        Assert.Equal(
            [new DiffEntry(repo.Path("a.txt"), DiffChange.Modified), new DiffEntry(repo.Path("sub", "new.txt"), DiffChange.Removed)],
            back.Items.Concat(rest.Items).OrderBy(i => i.Path, StringComparer.Ordinal));
        Assert.Equal(1, rest.Removed.Files);
    }

    [Fact]
    public async Task A_diff_with_an_unknown_snapshot_is_not_found()
    {
        var error = await agent.FailAsync(MessageTypes.QueryDiff, new DiffQuery(repo.First, "0123456789abcdef", null, 10, Soon));
        Assert.Equal(QueryErrorCode.NotFound, error.Code);
    }

    [Fact]
    public async Task A_wrong_password_is_restics_own_error_without_the_password()
    {
        await agent.DisposeAsync();
        const string wrong = "not-the-password-at-all";
        agent = await AgentQueryHarness.StartAsync(config.Path, AgentQueryRepository.Hostname, repo.Config with { Password = wrong });

        foreach (var (type, query) in new (string, object)[]
        {
            (MessageTypes.QueryTree, new TreeQuery(repo.Second, "/", null, 10, Soon)),
            (MessageTypes.QueryFind, new FindQuery(null, "*.txt", null, 10, Soon)),
            (MessageTypes.QueryDump, new DumpQuery(repo.Second, repo.Path("a.txt"), DumpFormat.Raw, 4, Soon)),
        })
        {
            var error = await agent.FailAsync(type, query);
            Assert.Equal(QueryErrorCode.Restic, error.Code);
            Assert.Equal("Fatal: wrong password or no key found", error.Message);
        }
    }

    [Fact]
    public async Task A_host_without_a_repository_answers_no_repository()
    {
        await agent.DisposeAsync();
        using var other = new TempDirectory("rm-agentq-norepo");
        agent = await AgentQueryHarness.StartAsync(other.Path, AgentQueryRepository.Hostname, null);
        var error = await agent.FailAsync(MessageTypes.QueryTree, new TreeQuery(repo.Second, "/", null, 10, Soon));
        Assert.Equal(QueryErrorCode.NoRepository, error.Code);
    }

    [Fact]
    public async Task A_request_answering_outside_the_agents_own_prefix_or_expired_gets_no_answer()
    {
        var foreign = await agent.SendAsync(MessageTypes.QueryTree, new TreeQuery(repo.Second, "/", null, 10, Soon),
            responseTopic: Topics.Reply("other-agent", AgentQueryHarness.RequesterId));
        var expired = await agent.SendAsync(MessageTypes.QueryTree, new TreeQuery(repo.Second, "/", null, 10, DateTimeOffset.UtcNow.AddSeconds(-1)));

        // Queries are taken in order; once a later one is answered, the dropped ones would have been too.
        // Wrong ones get no reply at all, not even a quick error, so give them a moment as well.
        await agent.AskAsync<TreePage>(MessageTypes.QueryTree, new TreeQuery(repo.Second, "/", null, 10, Soon));
        await agent.AskAsync<TreePage>(MessageTypes.QueryTree, new TreeQuery(repo.First, "/", null, 10, Soon));
        Assert.Empty(agent.Replies(foreign));
        Assert.Empty(agent.Replies(expired));
    }

    [Fact]
    public async Task A_bad_concurrency_limit_stops_the_agent_at_start_naming_the_key()
    {
        using var other = new TempDirectory("rm-agentq-badopt");
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            AgentQueryHarness.StartAsync(other.Path, AgentQueryRepository.Hostname, repo.Config, o => o.MaxConcurrentQueries = 0));
        Assert.Contains("Agent:MaxConcurrentQueries", error.Message);
        Assert.Equal(4, new AgentOptions().MaxConcurrentQueries);
    }

    [Fact]
    public async Task An_answer_over_the_output_bound_is_a_bad_request_asking_to_narrow_and_is_not_kept()
    {
        // Lowered so this small repository reaches it: "many" lists 28 entries of about 250 bytes each,
        // find "*" prints every file of both snapshots; the snapshot list stays below it.
        var restic = agent.Services.GetRequiredService<QueryRestic>();
        restic.OutputBudget = 4096;

        var tree = await agent.FailAsync(MessageTypes.QueryTree, new TreeQuery(repo.Second, repo.Path("many"), null, 100, Soon));
        Assert.Equal(QueryErrorCode.BadRequest, tree.Code);
        Assert.Contains("narrow the path", tree.Message);
        var find = await agent.FailAsync(MessageTypes.QueryFind, new FindQuery(null, "*", null, 10, Soon));
        Assert.Equal(QueryErrorCode.BadRequest, find.Code);
        Assert.Contains("narrow the pattern", find.Message);
        Assert.Empty(agent.RunningRestics);

        // Nothing was kept from the cut answers: with the bound back, the folder is listed in full.
        restic.OutputBudget = QueryRestic.MaxOutputBytes;
        var page = await agent.AskAsync<TreePage>(MessageTypes.QueryTree, new TreeQuery(repo.Second, repo.Path("many"), null, 100, Soon));
        Assert.Equal(AgentQueryRepository.ManyFiles + AgentQueryRepository.ManyFolders, page.Items.Count);
    }

    [Fact]
    public async Task A_timed_out_query_kills_its_restic_at_once_and_runs_no_unlock_so_its_slot_frees()
    {
        // A rest backend that accepts connections and never answers: restic hangs on it, and so would the
        // restic unlock that jobs run after a stop, keeping the query's slot (and its answer) forever.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var held = new List<Socket>();
        using var stopAccepting = new CancellationTokenSource();
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    held.Add(await silent.AcceptSocketAsync(stopAccepting.Token));
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
        var url = $"rest:http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/";
        await agent.DisposeAsync();
        agent = await AgentQueryHarness.StartAsync(config.Path, AgentQueryRepository.Hostname, repo.Config with { Url = url }, o =>
        {
            o.MaxConcurrentQueries = 1;
            o.QueryIdleTimeoutSeconds = 2;
            o.CancelGraceSeconds = 30;
        });

        try
        {
            var first = await agent.SendAsync(MessageTypes.QueryTree, new TreeQuery(repo.Second, "/", null, 10, Soon));
            var reply = await agent.FirstReplyAsync(first, TimeSpan.FromSeconds(15));
            Assert.Equal(QueryErrorCode.Cancelled, reply.Json<QueryError>().Code);
            await Eventually.HoldsAsync(() => agent.RunningRestics.Count == 0, TimeSpan.FromSeconds(5), "no restic (nor restic unlock) is left running");

            // The one slot is free again: the next query runs (and times out) rather than being answered Busy.
            var next = await agent.SendAsync(MessageTypes.QueryTree, new TreeQuery(repo.Second, "/", null, 10, Soon));
            var again = await agent.FirstReplyAsync(next, TimeSpan.FromSeconds(15));
            Assert.Equal(QueryErrorCode.Cancelled, again.Json<QueryError>().Code);
        }
        finally
        {
            await stopAccepting.CancelAsync();
            await accepting;
            held.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_tree_cancelled_by_its_requester_runs_on_to_fill_the_cache_so_the_retry_is_answered_from_it()
    {
        // restic behind a delay, as on a slow backend: slower than the requester's patience.
        using var copy = new TempDirectory("rm-agentq-slow");
        CopyFolder(repo.Repository, copy.Combine("repo"));
        var slow = copy.Combine("slow-restic");
        File.WriteAllText(slow, "#!/bin/sh\nsleep 4\nexec restic \"$@\"\n");
        File.SetUnixFileMode(slow, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await agent.DisposeAsync();
        agent = await AgentQueryHarness.StartAsync(config.Path, AgentQueryRepository.Hostname, repo.Config with { Url = copy.Combine("repo") },
            o => o.ResticPath = slow);
        var dispatcher = agent.Services.GetRequiredService<QueryDispatcher>();

        var query = new TreeQuery(repo.Second, repo.Path("sub"), null, 100, Soon);
        var first = await agent.SendAsync(MessageTypes.QueryTree, query);
        await Eventually.HoldsAsync(() => agent.RunningRestics.Count > 0, TimeSpan.FromSeconds(10), "the slow restic runs");
        await agent.SendControlAsync(MessageTypes.QueryCancel, new QueryCancel(first));
        var cancelled = await agent.FirstReplyAsync(first, TimeSpan.FromSeconds(3));
        Assert.Equal(QueryErrorCode.Cancelled, cancelled.Json<QueryError>().Code);
        Assert.Equal(1, dispatcher.InBackground);

        await Eventually.HoldsAsync(() => dispatcher.InBackground == 0, TimeSpan.FromSeconds(30), "the cancelled tree finishes in the background");
        Assert.Single(agent.Replies(first));
        // Without the repository, only the cache can answer.
        Directory.Move(copy.Combine("repo"), copy.Combine("gone"));
        var page = await agent.AskAsync<TreePage>(MessageTypes.QueryTree, query);
        Assert.Equal(["deep", "b.txt", "new.txt"], page.Items.Select(i => i.Name));
    }

    static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
