using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using ResticManager.Agent;
using ResticManager.Agent.Queries;
using ResticManager.Protocol;

namespace ResticManager.UnitTests;

/// <summary>
/// Downloads through <c>restic dump</c> over a real broker: content equal to the source, chunks only as
/// far as the requester granted, and no restic left running after a cancel, a silent requester or a stop.
/// </summary>
public sealed class AgentDumpQueryTests(AgentQueryRepository repo) : IClassFixture<AgentQueryRepository>, IAsyncLifetime
{
    readonly TempDirectory config = new("rm-agentq-dump");
    AgentQueryHarness? agent;

    static DateTimeOffset Soon => DateTimeOffset.UtcNow.AddMinutes(1);

    AgentQueryHarness Agent => agent!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (agent is not null)
        {
            await agent.DisposeAsync();
        }

        config.Dispose();
    }

    async Task StartAsync(Action<AgentOptions>? configure = null) =>
        agent = await AgentQueryHarness.StartAsync(config.Path, AgentQueryRepository.Hostname, repo.Config, configure);

    [Theory]
    [InlineData("big.bin", 4)]
    [InlineData("a.txt", 1)]
    public async Task A_file_downloads_as_is_in_numbered_chunks_granted_as_they_are_read(string name, int window)
    {
        await StartAsync();
        var queryId = await Agent.SendAsync(MessageTypes.QueryDump, new DumpQuery(repo.Second, repo.Path(name), DumpFormat.Raw, window, Soon));
        var bytes = await DownloadAsync(queryId);

        Assert.Equal(SHA256.HashData(File.ReadAllBytes(repo.Path(name))), SHA256.HashData(bytes));
        var chunks = Agent.Replies(queryId).Where(r => r.Kind == AgentQueries.Chunk).ToList();
        Assert.Equal(Enumerable.Range(0, chunks.Count), chunks.Select(c => c.Seq!.Value));
        Assert.All(chunks, c => Assert.Equal("application/octet-stream", c.ContentType));
        Assert.All(chunks.SkipLast(1), c => Assert.Equal(AgentQueries.ChunkBytes, c.Payload.Length));
        Assert.Equal(chunks.Count, Agent.Replies(queryId).Single(r => r.Kind == AgentQueries.End).Seq);
        Assert.Equal((bytes.Length + AgentQueries.ChunkBytes - 1) / AgentQueries.ChunkBytes, chunks.Count);
    }

    [Fact]
    public async Task A_folder_downloads_as_a_tar_holding_the_source_files()
    {
        await StartAsync();
        var queryId = await Agent.SendAsync(MessageTypes.QueryDump, new DumpQuery(repo.Second, repo.Path("sub"), DumpFormat.Tar, 8, Soon));
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using (var reader = new TarReader(new MemoryStream(await DownloadAsync(queryId))))
        {
            while (reader.GetNextEntry(copyData: true) is { } entry)
            {
                if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
                {
                    using var content = new MemoryStream();
                    entry.DataStream!.CopyTo(content);
                    files["/" + entry.Name] = SHA256.HashData(content.ToArray());
                }
            }
        }

        var source = Directory.GetFiles(repo.Path("sub"), "*", SearchOption.AllDirectories).ToDictionary(f => f, f => SHA256.HashData(File.ReadAllBytes(f)));
        Assert.Equal(source.Keys.Order(StringComparer.Ordinal), files.Keys.Order(StringComparer.Ordinal));
        Assert.All(source, s => Assert.Equal(s.Value, files[s.Key]));
    }

    [Fact]
    public async Task A_folder_downloads_as_a_zip_holding_the_source_files()
    {
        await StartAsync();
        var queryId = await Agent.SendAsync(MessageTypes.QueryDump, new DumpQuery(repo.Second, repo.Path("sub"), DumpFormat.Zip, 8, Soon));
        using var zip = new ZipArchive(new MemoryStream(await DownloadAsync(queryId)));
        var files = zip.Entries.Where(e => !e.FullName.EndsWith('/')).ToDictionary(e => "/" + e.FullName, e =>
        {
            using var content = e.Open();
            return SHA256.HashData(content);
        });

        Assert.Equal(3, files.Count);
        Assert.All(files, f => Assert.Equal(SHA256.HashData(File.ReadAllBytes(f.Key)), f.Value));
    }

    [Fact]
    public async Task Without_credit_only_the_window_is_sent_and_restic_waits_until_the_next_credit()
    {
        await StartAsync();
        var queryId = await Agent.SendAsync(MessageTypes.QueryDump, new DumpQuery(repo.Second, repo.Path("big.bin"), DumpFormat.Raw, 1, Soon));
        await Eventually.HoldsAsync(() => Chunks(queryId) == 1, TimeSpan.FromSeconds(30), "the window's one chunk arrives");

        // Positively: the agent waits for a credit, having none, and restic is blocked writing to its full pipe.
        // From there nothing more can be sent; the one chunk published before the wait has arrived.
        await StalledAsync(queryId);
        Assert.Equal(1, Chunks(queryId));
        Assert.DoesNotContain(Agent.Replies(queryId), r => r.Kind is AgentQueries.End or AgentQueries.Error);

        await Agent.SendControlAsync(MessageTypes.QueryCredit, new QueryCredit(queryId, 1));
        await Eventually.HoldsAsync(() => Chunks(queryId) == 2, TimeSpan.FromSeconds(30), "a credit lets the next chunk come");
        await StalledAsync(queryId);
        Assert.Equal(2, Chunks(queryId));

        await Agent.SendControlAsync(MessageTypes.QueryCancel, new QueryCancel(queryId));
        await Eventually.HoldsAsync(() => Agent.RunningRestics.Count == 0, TimeSpan.FromSeconds(30), "the cancel kills restic");
        await Eventually.HoldsAsync(() => Agent.Replies(queryId).Any(r => r.Kind == AgentQueries.Error), TimeSpan.FromSeconds(10), "the cancel is answered");
        Assert.Equal(QueryErrorCode.Cancelled, Agent.Replies(queryId).Single(r => r.Kind == AgentQueries.Error).Json<QueryError>().Code);
        Assert.Equal(2, Chunks(queryId));
    }

    [Fact]
    public async Task A_requester_that_stops_granting_credits_gets_its_dump_stopped_after_the_idle_timeout()
    {
        await StartAsync(o => o.QueryIdleTimeoutSeconds = 2);
        var queryId = await Agent.SendAsync(MessageTypes.QueryDump, new DumpQuery(repo.Second, repo.Path("big.bin"), DumpFormat.Raw, 1, Soon));
        var reply = await ErrorAsync(queryId, TimeSpan.FromSeconds(30));

        Assert.Equal(QueryErrorCode.Cancelled, reply.Code);
        Assert.Contains("no credit", reply.Message);
        await Eventually.HoldsAsync(() => Agent.RunningRestics.Count == 0, TimeSpan.FromSeconds(10), "restic is killed");
    }

    [Fact]
    public async Task Over_the_limit_a_query_is_answered_busy_while_credits_and_cancels_still_reach_the_running_one()
    {
        await StartAsync(o => o.MaxConcurrentQueries = 1);
        var dump = await Agent.SendAsync(MessageTypes.QueryDump, new DumpQuery(repo.Second, repo.Path("big.bin"), DumpFormat.Raw, 1, Soon));
        await Eventually.HoldsAsync(() => Chunks(dump) == 1, TimeSpan.FromSeconds(30), "the dump runs");

        var busy = await Agent.FailAsync(MessageTypes.QueryTree, new TreeQuery(repo.Second, "/", null, 10, Soon));
        Assert.Equal(QueryErrorCode.Busy, busy.Code);

        await Agent.SendControlAsync(MessageTypes.QueryCredit, new QueryCredit(dump, 1));
        await Eventually.HoldsAsync(() => Chunks(dump) == 2, TimeSpan.FromSeconds(30), "the credit reaches the dump at the limit");
        await Agent.SendControlAsync(MessageTypes.QueryCancel, new QueryCancel(dump));
        await ErrorAsync(dump, TimeSpan.FromSeconds(30));

        await Agent.AskAsync<TreePage>(MessageTypes.QueryTree, new TreeQuery(repo.Second, "/", null, 10, Soon));
        Assert.Empty(Agent.RunningRestics);
    }

    [Fact]
    public async Task Stopping_the_agent_leaves_no_restic_running()
    {
        await StartAsync();
        var queryId = await Agent.SendAsync(MessageTypes.QueryDump, new DumpQuery(repo.Second, repo.Path("big.bin"), DumpFormat.Raw, 1, Soon));
        await Eventually.HoldsAsync(() => Chunks(queryId) == 1, TimeSpan.FromSeconds(30), "the dump runs");
        Assert.NotEmpty(Agent.RunningRestics);

        await Agent.DisposeAsync();
        var running = Agent.RunningRestics;
        agent = null;
        Assert.Empty(running);
    }

    [Fact]
    public async Task A_path_or_snapshot_not_in_the_repository_is_not_found_and_a_symlink_is_a_bad_request()
    {
        await StartAsync();
        Assert.Equal(QueryErrorCode.NotFound, (await Agent.FailAsync(MessageTypes.QueryDump, new DumpQuery(repo.Second, repo.Path("nope"), DumpFormat.Raw, 1, Soon))).Code);
        Assert.Equal(QueryErrorCode.NotFound, (await Agent.FailAsync(MessageTypes.QueryDump, new DumpQuery("deadbeefdeadbeef", repo.Path("a.txt"), DumpFormat.Raw, 1, Soon))).Code);
        Assert.Equal(QueryErrorCode.BadRequest, (await Agent.FailAsync(MessageTypes.QueryDump, new DumpQuery(repo.Second, repo.Path("a.txt"), DumpFormat.Raw, 0, Soon))).Code);
        Assert.Empty(Agent.RunningRestics);
    }

    [Fact]
    public async Task Restic_failing_midway_ends_the_download_with_its_error_not_an_end()
    {
        // A folder backed up in two steps, so the second file's data lies in packs of its own, which are then
        // damaged: the tar holds the intact first file (several chunks) before restic fails on the second.
        using var damaged = new TempDirectory("rm-agentq-damaged");
        var repository = damaged.Combine("repo");
        await Restic.InitAsync(repository, AgentQueryRepository.Password);
        Restic.WriteRandomFiles(damaged.Combine("src", "a"), 1, 2_000_000);
        await BackupAsync(repository, damaged.Combine("src"));
        var intact = Directory.GetFiles(Path.Combine(repository, "data"), "*", SearchOption.AllDirectories).ToHashSet();
        Restic.WriteRandomFiles(damaged.Combine("src", "b"), 1, 8_000_000);
        await BackupAsync(repository, damaged.Combine("src"));
        var snapshot = (await Restic.SnapshotsAsync(repository, AgentQueryRepository.Password)).MaxBy(s => s.Time)!.Id;
        foreach (var pack in Directory.GetFiles(Path.Combine(repository, "data"), "*", SearchOption.AllDirectories)
            .Where(p => !intact.Contains(p)).Select(p => new FileInfo(p)).Where(f => f.Length > 1_000_000))
        {
            // Data packs only: the new snapshot's small tree pack stays readable.
            pack.IsReadOnly = false;
            using var stream = pack.OpenWrite();
            stream.Position = pack.Length / 2;
            stream.Write(new byte[16]);
        }

        agent = await AgentQueryHarness.StartAsync(config.Path, AgentQueryRepository.Hostname, repo.Config with { Url = repository });
        var queryId = await Agent.SendAsync(MessageTypes.QueryDump, new DumpQuery(snapshot, damaged.Combine("src"), DumpFormat.Tar, 4, Soon));
        var (content, last) = await DrainAsync(queryId);

        Assert.Equal(AgentQueries.Error, last.Kind);
        var error = last.Json<QueryError>();
        Assert.Equal(QueryErrorCode.Restic, error.Code);
        Assert.Contains("ciphertext verification failed", error.Message);
        Assert.True(content.Length > 2_000_000, $"the error comes after the first file was sent ({content.Length} bytes)");
        Assert.DoesNotContain(Agent.Replies(queryId), r => r.Kind == AgentQueries.End);
        Assert.Empty(Agent.RunningRestics);
    }

    static async Task BackupAsync(string repository, string source)
    {
        var (code, output) = await Restic.RunAsync(repository, AgentQueryRepository.Password, "backup", "--host", AgentQueryRepository.Hostname, source);
        Assert.True(code == 0, output);
    }

    /// <summary>
    /// The dump has stalled for want of credit: the dispatcher reports it waiting with none, and restic is
    /// blocked in the kernel writing to its stdout pipe (its wait channel), full because the agent reads no further.
    /// </summary>
    async Task StalledAsync(string queryId)
    {
        var dispatcher = Agent.Services.GetRequiredService<QueryDispatcher>();
        await Eventually.HoldsAsync(() => dispatcher.IsStarved(queryId), TimeSpan.FromSeconds(30), "the agent waits for a credit");
        await Eventually.HoldsAsync(() => Agent.RunningRestics.Any(BlockedOnPipe), TimeSpan.FromSeconds(30), "restic blocks on its full pipe");
    }

    static bool BlockedOnPipe(int pid)
    {
        try
        {
            return Directory.GetDirectories($"/proc/{pid}/task").Any(t => File.ReadAllText(Path.Combine(t, "wchan")).Contains("pipe_write", StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return false;
        }
    }

    int Chunks(string queryId) => Agent.Replies(queryId).Count(r => r.Kind == AgentQueries.Chunk);

    async Task<QueryError> ErrorAsync(string queryId, TimeSpan timeout)
    {
        await Eventually.HoldsAsync(() => Agent.Replies(queryId).Any(r => r.Kind == AgentQueries.Error), timeout, $"query {queryId} is answered with an error");
        return Agent.Replies(queryId).Single(r => r.Kind == AgentQueries.Error).Json<QueryError>();
    }

    async Task<byte[]> DownloadAsync(string queryId)
    {
        var (content, last) = await DrainAsync(queryId);
        Assert.True(last.Kind == AgentQueries.End, $"unexpected {last.Kind}: {System.Text.Encoding.UTF8.GetString(last.Payload)}");
        return content;
    }

    /// <summary>Reads chunks as a requester does, granting one more for each consumed, until the end or an error.</summary>
    async Task<(byte[] Content, AgentQueryReply Last)> DrainAsync(string queryId)
    {
        using var content = new MemoryStream();
        var consumed = 0;
        while (true)
        {
            AgentQueryReply? next = null;
            await Eventually.HoldsAsync(() => (next = Agent.Replies(queryId).ElementAtOrDefault(consumed)) is not null, TimeSpan.FromSeconds(30),
                $"answer {consumed} of query {queryId}", TimeSpan.FromMilliseconds(10));
            consumed++;
            if (next!.Kind != AgentQueries.Chunk)
            {
                return (content.ToArray(), next);
            }

            content.Write(next.Payload);
            await Agent.SendControlAsync(MessageTypes.QueryCredit, new QueryCredit(queryId, 1));
        }
    }
}
