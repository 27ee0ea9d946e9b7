using System.Diagnostics;
using System.Net;
using System.Text.Json;
using ResticManager.Protocol;
using ResticManager.Snapshots;

namespace ResticManager.UnitTests;

/// <summary>
/// The requester of agent queries against the embedded MQTTnet broker (real gate, real ACL) and an
/// agent played by the test: answers, errors, silence, absence, impostors, the per-agent bound, and
/// downloads with their credits and cancellation.
/// </summary>
public sealed class AgentQueryClientTests(AgentQueryServer fixture) : IClassFixture<AgentQueryServer>
{
    AgentQueryClient Queries => fixture.Queries;

    static Func<DateTimeOffset, object> Tree(string path) => expiresAt => new TreeQuery("snap", path, null, 10, expiresAt);

    [Fact]
    public async Task A_query_goes_to_the_agent_with_a_reply_topic_under_its_prefix_and_its_answer_comes_back()
    {
        await using var agent = await fixture.OnlineAgentAsync("query-ok");
        var asking = Queries.AskAsync<TreePage>(agent.AgentId, MessageTypes.QueryTree, Tree("/etc"), CancellationToken.None);

        var query = await agent.NextAsync(MessageTypes.QueryTree);
        Assert.Equal(Topics.Reply(agent.AgentId, Queries.ClientId), query.ResponseTopic);
        Assert.Matches("^[0-9a-f]{32}$", ScriptedAgent.QueryId(query));
        Assert.Equal(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce, query.QualityOfServiceLevel);
        Assert.False(query.Retain);
        var asked = ScriptedAgent.Read<TreeQuery>(query);
        Assert.Equal("/etc", asked.Path);
        Assert.InRange(asked.ExpiresAt, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddSeconds(3));

        var page = new TreePage("/etc", [new TreeEntry("hosts", "/etc/hosts", EntryType.File, 12, DateTimeOffset.UnixEpoch, "-rw-r--r--")], "c2");
        await agent.OkAsync(query, page);
        var answer = await asking;
        Assert.Equal("/etc/hosts", Assert.Single(answer.Items).Path);
        Assert.Equal("c2", answer.NextCursor);
    }

    [Theory]
    [InlineData(QueryErrorCode.NotFound, HttpStatusCode.NotFound, null)]
    [InlineData(QueryErrorCode.BadRequest, HttpStatusCode.BadRequest, null)]
    [InlineData(QueryErrorCode.Busy, HttpStatusCode.ServiceUnavailable, "2")]
    [InlineData(QueryErrorCode.NoRepository, HttpStatusCode.Conflict, null)]
    [InlineData(QueryErrorCode.Restic, HttpStatusCode.BadGateway, null)]
    [InlineData(QueryErrorCode.Internal, HttpStatusCode.BadGateway, null)]
    public async Task An_error_answer_becomes_problem_json_with_the_agents_message(QueryErrorCode code, HttpStatusCode status, string? retryAfter)
    {
        await using var agent = await fixture.OnlineAgentAsync("query-error-" + code.ToString().ToLowerInvariant());
        var asking = fixture.Server.Api.GetAsync($"/api/hosts/{agent.AgentId}/files?path=/etc/hosts");
        var query = await agent.NextAsync(MessageTypes.QueryFind);
        Assert.Equal("/etc/hosts", ScriptedAgent.Read<FindQuery>(query).Path);
        await agent.ErrorAsync(query, code, $"restic says no ({code})");

        using var response = await asking;
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(retryAfter, response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal($"restic says no ({code})", problem.RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_unanswered_query_times_out_as_504_and_is_cancelled_on_the_agent()
    {
        await using var agent = await fixture.OnlineAgentAsync("query-silent");
        var watch = Stopwatch.StartNew();
        var asking = fixture.Server.Api.GetAsync($"/api/hosts/{agent.AgentId}/files?pattern=*.conf");
        var query = await agent.NextAsync(MessageTypes.QueryFind);

        using var response = await asking;
        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(10));
        var cancel = await agent.NextAsync(MessageTypes.QueryCancel);
        Assert.Equal(ScriptedAgent.QueryId(query), ScriptedAgent.Read<QueryCancel>(cancel).QueryId);
    }

    [Fact]
    public async Task A_query_to_an_agent_that_is_not_online_fails_at_once_with_503_and_retry_after()
    {
        var never = await ScriptedAgent.EnrollAsync(fixture.Server, "query-never-connected");
        var watch = Stopwatch.StartNew();
        using var response = await fixture.Server.Api.GetAsync($"/api/hosts/{never.AgentId}/files?path=/x");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter?.Delta);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1.5), $"took {watch.Elapsed}");

        // A connection that dies (no DISCONNECT) makes the broker publish the agent's offline Last Will.
        await using var network = new TcpProxy(ScriptedAgent.MqttPort(fixture.Server));
        await using var gone = await fixture.OnlineAgentAsync("query-gone", network.Port);
        network.Cut();
        await Eventually.HoldsAsync(() => !Queries.IsOnline(gone.AgentId), TimeSpan.FromSeconds(10), "the Last Will takes the agent offline");
        var failure = await Assert.ThrowsAsync<AgentQueryException>(() => Queries.AskAsync<TreePage>(gone.AgentId, MessageTypes.QueryTree, Tree("/"), CancellationToken.None));
        Assert.Equal(AgentQueryFailureKind.Offline, failure.Failure.Kind);
    }

    [Fact]
    public async Task A_reply_from_another_agent_is_ignored_and_the_asked_agents_answer_counts()
    {
        await using var asked = await fixture.OnlineAgentAsync("query-asked");
        await using var impostor = await fixture.OnlineAgentAsync("query-impostor");
        var asking = Queries.AskAsync<TreePage>(asked.AgentId, MessageTypes.QueryTree, Tree("/"), CancellationToken.None);
        var query = await asked.NextAsync(MessageTypes.QueryTree);

        // The impostor knows the query id and answers first, on the reply topic under its own prefix (all its ACL allows).
        await impostor.ReplyAsync(query, AgentQueries.Ok, WireJson.Serialize(new TreePage("/", [new TreeEntry("forged", "/forged", EntryType.File, 1, null, null)], null)),
            topic: Topics.Reply(impostor.AgentId, Queries.ClientId));
        await asked.OkAsync(query, new TreePage("/", [new TreeEntry("real", "/real", EntryType.Dir, null, null, null)], null));

        Assert.Equal("/real", Assert.Single((await asking).Items).Path);
    }

    [Fact]
    public async Task At_most_the_configured_number_of_queries_per_agent_are_in_flight_and_waiting_counts_against_the_timeout()
    {
        await using var agent = await fixture.OnlineAgentAsync("query-bounded");
        var asking = Enumerable.Range(0, 3).Select(i => Queries.AskAsync<TreePage>(agent.AgentId, MessageTypes.QueryTree, Tree($"/{i}"), CancellationToken.None)).ToList();
        var first = await agent.NextAsync(MessageTypes.QueryTree);
        var second = await agent.NextAsync(MessageTypes.QueryTree);
        // Both slots are taken: the third waits in the requester. Give it the time it would need to arrive if it were sent.
        await Task.Delay(300);
        Assert.False(agent.TryPeekType(out var early), $"a third query arrived early: {early}");

        await agent.OkAsync(first, new TreePage("/", [], null));
        var third = await agent.NextAsync(MessageTypes.QueryTree);
        await agent.OkAsync(second, new TreePage("/", [], null));
        await agent.OkAsync(third, new TreePage("/", [], null));
        await Task.WhenAll(asking);

        // Two slow queries hold both slots; a third that waits for one longer than the timeout is a timeout, not a hang.
        var slow = Enumerable.Range(0, 2).Select(i => Queries.AskAsync<TreePage>(agent.AgentId, MessageTypes.QueryTree, Tree($"/slow{i}"), CancellationToken.None)).ToList();
        await agent.NextAsync(MessageTypes.QueryTree);
        await agent.NextAsync(MessageTypes.QueryTree);
        var waiting = await Assert.ThrowsAsync<AgentQueryException>(() => Queries.AskAsync<TreePage>(agent.AgentId, MessageTypes.QueryTree, Tree("/late"), CancellationToken.None));
        Assert.Equal(AgentQueryFailureKind.Timeout, waiting.Failure.Kind);
        foreach (var query in slow)
        {
            Assert.Equal(AgentQueryFailureKind.Timeout, (await Assert.ThrowsAsync<AgentQueryException>(() => query)).Failure.Kind);
        }
    }

    [Fact]
    public async Task A_download_arrives_in_sequence_order_and_the_agent_sends_only_what_the_reader_credited()
    {
        await using var agent = await fixture.OnlineAgentAsync("query-download");
        var chunks = Enumerable.Range(0, 11).Select(i => Enumerable.Repeat((byte)i, 1000 + i).ToArray()).ToList();
        var consumed = 0;
        var grants = new List<(int Chunks, int ConsumedThen)>();

        var opening = Queries.OpenDownloadAsync(agent.AgentId, "snap", "/big.bin", DumpFormat.Raw, CancellationToken.None);
        var query = await agent.NextAsync(MessageTypes.QueryDump);
        var dump = ScriptedAgent.Read<DumpQuery>(query);
        Assert.Equal(4, dump.Window);
        Assert.Equal(DumpFormat.Raw, dump.Format);

        var agentSide = Task.Run(async () =>
        {
            var credit = dump.Window;
            var sent = 0;
            while (sent < chunks.Count)
            {
                if (credit == 0)
                {
                    var granted = ScriptedAgent.Read<QueryCredit>(await agent.NextAsync(MessageTypes.QueryCredit));
                    Assert.Equal(ScriptedAgent.QueryId(query), granted.QueryId);
                    lock (grants)
                    {
                        grants.Add((granted.Chunks, Volatile.Read(ref consumed)));
                    }

                    credit += granted.Chunks;
                    continue;
                }

                // The first window goes out of order (1, 0, 3, 2) with a duplicate of chunk 0, as a broker might redeliver.
                var batch = Math.Min(credit, chunks.Count - sent);
                var order = sent == 0 && batch == 4 ? new[] { 1, 0, 0, 3, 2 } : Enumerable.Range(sent, batch).ToArray();
                foreach (var seq in order)
                {
                    await agent.ReplyAsync(query, AgentQueries.Chunk, chunks[seq], seq);
                }

                sent += batch;
                credit -= batch;
            }

            await agent.ReplyAsync(query, AgentQueries.End, [], chunks.Count);
        });

        var received = new List<byte[]>();
        await using (var download = await opening)
        {
            await foreach (var chunk in download.ReadAsync())
            {
                received.Add(chunk.ToArray());
                Interlocked.Increment(ref consumed);
            }
        }

        await agentSide;
        Assert.Equal(chunks, received);
        Assert.NotEmpty(grants);
        var total = 0;
        foreach (var (granted, consumedThen) in grants)
        {
            total += granted;
            Assert.True(total <= consumedThen, $"credits for {total} chunks were granted when only {consumedThen} had been read");
        }
    }

    [Fact]
    public async Task Disposing_a_download_before_its_end_cancels_it_on_the_agent_and_frees_its_slot()
    {
        await using var agent = await fixture.OnlineAgentAsync("query-download-cancel");
        var opening = Queries.OpenDownloadAsync(agent.AgentId, "snap", "/folder", DumpFormat.Tar, CancellationToken.None);
        var query = await agent.NextAsync(MessageTypes.QueryDump);
        await agent.ReplyAsync(query, AgentQueries.Chunk, new byte[100], 0);
        await agent.ReplyAsync(query, AgentQueries.Chunk, new byte[100], 1);

        await using (var download = await opening)
        {
            await foreach (var chunk in download.ReadAsync())
            {
                break; // the HTTP client went away after the first chunk
            }
        }

        var cancel = ScriptedAgent.Read<QueryCancel>(await agent.NextAsync(MessageTypes.QueryCancel));
        Assert.Equal(ScriptedAgent.QueryId(query), cancel.QueryId);

        // Both slots are free again: two queries go out at once.
        var asking = Enumerable.Range(0, 2).Select(i => Queries.AskAsync<TreePage>(agent.AgentId, MessageTypes.QueryTree, Tree($"/{i}"), CancellationToken.None)).ToList();
        await agent.OkAsync(await agent.NextAsync(MessageTypes.QueryTree), new TreePage("/", [], null));
        await agent.OkAsync(await agent.NextAsync(MessageTypes.QueryTree), new TreePage("/", [], null));
        await Task.WhenAll(asking);
    }

    [Fact]
    public async Task A_download_whose_end_counts_other_chunks_than_arrived_fails_and_an_error_first_fails_the_open()
    {
        await using var agent = await fixture.OnlineAgentAsync("query-download-short");
        var opening = Queries.OpenDownloadAsync(agent.AgentId, "snap", "/f", DumpFormat.Raw, CancellationToken.None);
        var query = await agent.NextAsync(MessageTypes.QueryDump);
        await agent.ReplyAsync(query, AgentQueries.Chunk, new byte[10], 0);
        await agent.ReplyAsync(query, AgentQueries.End, [], 2);
        await using (var download = await opening)
        {
            var failed = await Assert.ThrowsAsync<AgentQueryException>(async () =>
            {
                await foreach (var chunk in download.ReadAsync())
                {
                    Assert.Equal(10, chunk.Length);
                }
            });
            Assert.Contains("ended after 2 chunks", failed.Message, StringComparison.Ordinal);
        }

        var refused = Queries.OpenDownloadAsync(agent.AgentId, "snap", "/secret", DumpFormat.Raw, CancellationToken.None);
        await agent.ErrorAsync(await agent.NextAsync(MessageTypes.QueryDump), QueryErrorCode.Restic, "wrong password");
        var error = await Assert.ThrowsAsync<AgentQueryException>(() => refused);
        Assert.Equal(AgentQueryFailureKind.Restic, error.Failure.Kind);
        Assert.Equal("wrong password", error.Failure.Message);
    }

    [Fact]
    public async Task A_download_the_agent_goes_silent_on_ends_after_the_idle_timeout_and_is_cancelled()
    {
        await using var agent = await fixture.OnlineAgentAsync("query-download-idle");
        var opening = Queries.OpenDownloadAsync(agent.AgentId, "snap", "/f", DumpFormat.Raw, CancellationToken.None);
        var query = await agent.NextAsync(MessageTypes.QueryDump);
        await agent.ReplyAsync(query, AgentQueries.Chunk, new byte[10], 0);
        var watch = Stopwatch.StartNew();
        await using (var download = await opening)
        {
            var failed = await Assert.ThrowsAsync<AgentQueryException>(async () =>
            {
                await foreach (var chunk in download.ReadAsync())
                {
                    Assert.Equal(10, chunk.Length);
                }
            });
            Assert.Equal(AgentQueryFailureKind.Timeout, failed.Failure.Kind);
        }

        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(15));
        Assert.Equal(ScriptedAgent.QueryId(query), ScriptedAgent.Read<QueryCancel>(await agent.NextAsync(MessageTypes.QueryCancel)).QueryId);
    }
}
