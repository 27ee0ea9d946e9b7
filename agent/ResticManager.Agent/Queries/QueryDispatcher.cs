using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using ResticManager.Agent.Storage;
using ResticManager.Protocol;

namespace ResticManager.Agent.Queries;

/// <summary>
/// Takes the queries that arrive on <c>…/cmd/query.*</c> and answers each on its MQTT 5 response topic
/// with its correlation data. A request is dropped (no answer is possible) when its response topic is
/// not under this agent's own prefix or it carries no usable query id, and ignored past its expiry.
/// At most <see cref="AgentOptions.MaxConcurrentQueries"/> run at once, each on its own task (the MQTT
/// client's receive loop must never wait, or credits could not arrive); beyond that the answer is Busy.
/// Credits and cancels go to the running query at once. A cancelled dump is stopped at once; a cancelled
/// tree, find or diff is answered Cancelled at once but, up to <see cref="MaxInBackground"/> of them, runs
/// on to fill its cache (until <see cref="AgentOptions.QueryIdleTimeoutSeconds"/> after its start), so a
/// query slower than the requester's timeout is answered from the cache on a retry rather than never.
/// On the agent's stop every query's restic is stopped.
/// </summary>
public sealed class QueryDispatcher(
    TreeQueryHandler tree, FindQueryHandler find, DiffQueryHandler diff, DumpQueryHandler dump, QueryReplies replies, AgentFiles files,
    IOptions<AgentOptions> options, TimeProvider time, ILogger<QueryDispatcher> logger)
    : IHostedService
{
    const int MaxQueryIdLength = 64;
    static readonly TimeSpan DropLogInterval = TimeSpan.FromMinutes(1);
    static readonly UTF8Encoding StrictUtf8 = new(false, true);

    /// <summary>
    /// Cancelled queries left running to fill the cache. They leave their slot, since nobody waits for them and
    /// browsing must not be answered Busy because of them, so they are capped instead: at most
    /// <see cref="AgentOptions.MaxConcurrentQueries"/> + this many query restics run at once; past it a cancel stops the query.
    /// </summary>
    public const int MaxInBackground = 1;

    readonly Dictionary<string, RunningQuery> running = new(StringComparer.Ordinal);
    readonly HashSet<RunningQuery> background = [];
    readonly CancellationTokenSource stopping = new();
    readonly object gate = new();
    long lastDropLogged = long.MinValue;
    string? agentId;

    /// <summary>From the enrollment, not the link: a queued query can arrive right after the subscribe, before the link is attached.</summary>
    string AgentId => agentId ??= files.LoadConfig().AgentId;

    /// <summary>
    /// Called from the MQTT receive handler: returns at once; the query, and every answer, runs on its
    /// own task (a QoS 1 publish awaits its PUBACK, which that same handler's loop has to read).
    /// </summary>
    public void Receive(string messageType, MqttApplicationMessage message)
    {
        switch (messageType)
        {
            case MessageTypes.QueryCredit:
                if (TryParse<QueryCredit>(message, out var credit) && credit.QueryId is not null)
                {
                    Grant(credit.QueryId, credit.Chunks);
                }

                return;
            case MessageTypes.QueryCancel:
                if (TryParse<QueryCancel>(message, out var cancel) && cancel.QueryId is not null)
                {
                    Cancel(cancel.QueryId);
                }

                return;
        }

        if (Address(message) is not { } address)
        {
            return;
        }

        object request;
        try
        {
            request = messageType switch
            {
                MessageTypes.QueryTree => Parse<TreeQuery>(message),
                MessageTypes.QueryFind => Parse<FindQuery>(message),
                MessageTypes.QueryDiff => Parse<DiffQuery>(message),
                MessageTypes.QueryDump => Parse<DumpQuery>(message),
                _ => throw new NotSupportedException($"unknown query '{messageType}'"),
            };
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or NotSupportedException)
        {
            var error = new QueryError(QueryErrorCode.BadRequest, $"malformed {messageType}: {ex.Message}");
            _ = Task.Run(() => AnswerAsync(address, error));
            return;
        }

        var expiresAt = request switch
        {
            TreeQuery q => q.ExpiresAt,
            FindQuery q => q.ExpiresAt,
            DiffQuery q => q.ExpiresAt,
            DumpQuery q => q.ExpiresAt,
            _ => default,
        };
        if (expiresAt < time.GetUtcNow())
        {
            logger.LogInformation("Ignoring query {QueryId} ({Type}): it expired at {ExpiresAt}", address.QueryId, messageType, expiresAt);
            return;
        }

        Start(address, messageType, request);
    }

    void Start(QueryReplyAddress address, string messageType, object request)
    {
        lock (gate)
        {
            if (running.ContainsKey(address.QueryId))
            {
                // A QoS 1 duplicate of a query in progress: its answers are on their way.
                return;
            }

            if (stopping.IsCancellationRequested || running.Count >= options.Value.MaxConcurrentQueries)
            {
                var busy = new QueryError(QueryErrorCode.Busy,
                    $"this agent already runs {options.Value.MaxConcurrentQueries} queries (Agent:MaxConcurrentQueries); retry shortly");
                _ = Task.Run(() => AnswerAsync(address, busy));
                return;
            }

            var query = new RunningQuery(address, request is DumpQuery d ? new DumpCredits(d.Window) : null, stopping.Token);
            if (request is not DumpQuery)
            {
                // A page nobody waits for any more is not worth a restic: the requester gave up long before.
                query.CancelAfter(TimeSpan.FromSeconds(options.Value.QueryIdleTimeoutSeconds));
            }

            running.Add(address.QueryId, query);
            // Set under the lock, so a stop waits for it.
            query.Completion = Task.Run(() => RunAsync(query, request));
        }

        logger.LogDebug("Query {QueryId} ({Type}) started", address.QueryId, messageType);
    }

    async Task RunAsync(RunningQuery query, object request)
    {
        var to = query.Address;
        var ct = query.Token;
        try
        {
            switch (request)
            {
                case TreeQuery q:
                    var treePage = await tree.ListAsync(q, ct);
                    if (ClaimAnswer(query))
                    {
                        await replies.OkAsync(to, treePage, ct);
                    }

                    break;
                case FindQuery q:
                    var filePage = await find.FindAsync(q, ct);
                    if (ClaimAnswer(query))
                    {
                        await replies.OkAsync(to, filePage, ct);
                    }

                    break;
                case DiffQuery q:
                    var diffPage = await diff.DiffAsync(q, ct);
                    if (ClaimAnswer(query))
                    {
                        await replies.OkAsync(to, diffPage, ct);
                    }

                    break;
                case DumpQuery q:
                    await dump.StreamAsync(q, to, query.Credits!, ct);
                    break;
            }
        }
        catch (QueryFailure failure)
        {
            logger.LogInformation("Query {QueryId} answered {Code}: {Message}", to.QueryId, failure.Code, failure.Message);
            if (ClaimAnswer(query))
            {
                await AnswerAsync(to, failure.ToError());
            }
        }
        catch (OperationCanceledException)
        {
            logger.LogInformation("Query {QueryId} stopped: {Reason}", to.QueryId,
                stopping.IsCancellationRequested ? "the agent stops" : ct.IsCancellationRequested ? "cancelled or timed out" : "the connection was lost");
            if (ClaimAnswer(query))
            {
                await AnswerAsync(to, new QueryError(QueryErrorCode.Cancelled, "the query was stopped before it finished"));
            }
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Query {QueryId} failed", to.QueryId);
            if (ClaimAnswer(query))
            {
                await AnswerAsync(to, new QueryError(QueryErrorCode.Internal, $"the agent failed to answer: {ex.GetBaseException().Message}"));
            }
        }
        finally
        {
            lock (gate)
            {
                // One in the background left its slot, which a new query of the same id may hold by now.
                if (!background.Remove(query))
                {
                    running.Remove(to.QueryId);
                }

                query.Dispose();
            }
        }
    }

    /// <summary>Whether the query's answer may go out; false for one in the background, already answered Cancelled.</summary>
    bool ClaimAnswer(RunningQuery query)
    {
        lock (gate)
        {
            query.Answering = !query.InBackground;
            return query.Answering;
        }
    }

    /// <summary>Cancelled queries still running in the background (tests wait for them).</summary>
    internal int InBackground
    {
        get
        {
            lock (gate)
            {
                return background.Count;
            }
        }
    }

    /// <summary>Whether the dump <paramref name="queryId"/> waits for a credit, having none (tests wait for it).</summary>
    internal bool IsStarved(string queryId)
    {
        lock (gate)
        {
            return running.TryGetValue(queryId, out var query) && query.Credits is { Starved: true };
        }
    }

    void Grant(string queryId, int chunks)
    {
        lock (gate)
        {
            if (running.TryGetValue(queryId, out var query))
            {
                query.Credits?.Grant(chunks);
            }
        }
    }

    void Cancel(string queryId)
    {
        RunningQuery? left;
        lock (gate)
        {
            if (!running.TryGetValue(queryId, out var query))
            {
                return;
            }

            // A dump's bytes are of no use to anyone else: it stops at once. So does a query whose answer is
            // already on its way, and any once the background is full.
            if (query.Credits is not null || query.Answering || background.Count >= MaxInBackground || stopping.IsCancellationRequested)
            {
                logger.LogInformation("Cancelling query {QueryId}", queryId);
                query.Cancel();
                return;
            }

            running.Remove(queryId);
            background.Add(query);
            query.InBackground = true;
            left = query;
        }

        logger.LogInformation("Query {QueryId} cancelled; it runs on in the background to keep its answer for a retry", queryId);
        _ = Task.Run(() => AnswerAsync(left.Address, new QueryError(QueryErrorCode.Cancelled, "the query was cancelled")));
    }

    /// <summary>Best effort: an answer that cannot be sent (no connection) is dropped, never retried.</summary>
    async Task AnswerAsync(QueryReplyAddress to, QueryError error)
    {
        try
        {
            await replies.ErrorAsync(to, error, CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogWarning("Could not answer query {QueryId}: {Error}", to.QueryId, ex.Message);
        }
    }

    /// <summary>The reply topic and query id, when the request is one this agent may answer at all.</summary>
    QueryReplyAddress? Address(MqttApplicationMessage message)
    {
        var topic = message.ResponseTopic;
        if (string.IsNullOrEmpty(topic) || !Topics.IsReplyOf(AgentId, topic))
        {
            // Publishing there would leave this agent's own prefix: the broker's ACL would refuse it anyway.
            LogDrop("a response topic outside this agent's own reply topics", topic);
            return null;
        }

        var correlation = message.CorrelationData;
        string queryId;
        try
        {
            queryId = correlation is { Length: > 0 } ? StrictUtf8.GetString(correlation) : string.Empty;
        }
        catch (DecoderFallbackException)
        {
            queryId = string.Empty;
        }

        if (queryId.Length is 0 or > MaxQueryIdLength || queryId.Any(char.IsControl))
        {
            LogDrop($"no query id (correlation data of 1 to {MaxQueryIdLength} UTF-8 characters)", topic);
            return null;
        }

        return new QueryReplyAddress(queryId, topic, correlation!);
    }

    /// <summary>Once a minute at most: a misbehaving requester must not flood the log.</summary>
    void LogDrop(string reason, string? topic)
    {
        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref lastDropLogged);
        if (last != long.MinValue && time.GetElapsedTime(last, now) < DropLogInterval)
        {
            return;
        }

        if (Interlocked.CompareExchange(ref lastDropLogged, now, last) == last)
        {
            logger.LogWarning("Dropping a query with {Reason} (response topic '{Topic}'); no answer is possible. Further drops are logged once a minute.",
                reason, topic ?? "(none)");
        }
    }

    bool TryParse<T>(MqttApplicationMessage message, out T value)
        where T : class
    {
        try
        {
            value = Parse<T>(message);
            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException)
        {
            logger.LogWarning("Ignoring a malformed {Type}: {Error}", typeof(T).Name, ex.Message);
            value = null!;
            return false;
        }
    }

    static T Parse<T>(MqttApplicationMessage message)
    {
        var reader = new Utf8JsonReader(message.Payload);
        return WireJson.Deserialize<T>(ref reader) ?? throw new InvalidDataException("empty payload");
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Every query's restic is stopped, and waited for, before the agent exits.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Task[] completions;
        lock (gate)
        {
            stopping.Cancel();
            completions = [.. running.Values.Concat(background).Select(q => q.Completion)];
        }

        await Task.WhenAll(completions).WaitAsync(cancellationToken);
    }
}
