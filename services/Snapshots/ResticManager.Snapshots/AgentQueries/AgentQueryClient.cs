using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using ResticManager.BuildingBlocks;
using ResticManager.Protocol;
using ResticManager.ServiceDefaults;

namespace ResticManager.Snapshots;

/// <summary>
/// Asks one agent a question over MQTT 5 and waits for its answer (ADR 10). The same client serves
/// the embedded broker, the distributed broker service and an external broker: it connects like any
/// MQTT client (see <see cref="ServiceBrokerConnection"/>), keeps who is online from the agents' retained
/// status, sends each query with a response topic under the agent's own prefix and the query id as
/// correlation data, and takes an answer only from the agent it asked. A query to an agent that is not
/// online fails at once; one that is not answered in time fails with <see cref="AgentQueryFailureKind.Timeout"/>.
/// </summary>
public sealed class AgentQueryClient : BackgroundService
{
    readonly ConcurrentDictionary<string, PendingQuery> pending = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, AgentStatus> presence = new(StringComparer.Ordinal);
    readonly KeyedLock<string> inFlight;
    readonly AgentQueryOptions options;
    /// <summary>The key of its <see cref="ServiceBrokerConnection"/> among the process's services.</summary>
    public const string BrokerKey = "agent-queries";

    readonly ServiceBrokerConnection broker;
    readonly TimeProvider clock;
    readonly ILogger<AgentQueryClient> logger;
    volatile IMqttClient? client;

    public AgentQueryClient(IOptions<AgentQueryOptions> options, [FromKeyedServices(BrokerKey)] ServiceBrokerConnection broker, TimeProvider clock, ILogger<AgentQueryClient> logger)
    {
        this.options = options.Value;
        this.broker = broker;
        this.clock = clock;
        this.logger = logger;
        inFlight = new KeyedLock<string>(StringComparer.Ordinal, this.options.MaxInFlightPerAgent);
    }

    /// <summary>This process's MQTT client id; agents answer on <see cref="Topics.Reply"/> with it.</summary>
    public string ClientId { get; } = ServiceClients.NewClientId("snapshots");

    public bool IsConnected => client is { IsConnected: true };

    /// <summary>True when the agent's retained status says its latest connection is up.</summary>
    public bool IsOnline(string agentId) => presence.TryGetValue(agentId, out var status) && status.State == PresenceState.Online;

    /// <summary>Sends one query and returns the agent's page; throws <see cref="AgentQueryException"/> when there is none.</summary>
    public async Task<TPage> AskAsync<TPage>(string agentId, string messageType, Func<DateTimeOffset, object> query, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(options.Timeout);
        var queryId = Guid.NewGuid().ToString("N");
        try
        {
            EnsureReachable(agentId);
            using var slot = await inFlight.AcquireAsync(agentId, deadline.Token);
            var call = Register(queryId, agentId, capacity: 4);
            try
            {
                await PublishQueryAsync(call, messageType, query(clock.GetUtcNow().Add(options.Timeout)), deadline.Token);
                var reply = await call.NextAsync(deadline.Token);
                return reply.Kind switch
                {
                    AgentQueries.Ok => Parse<TPage>(reply.Payload),
                    AgentQueries.Error => throw new AgentQueryException(AgentQueryFailure.From(Parse<QueryError>(reply.Payload))),
                    _ => throw Broken($"the agent answered '{reply.Kind}' to a {messageType}"),
                };
            }
            finally
            {
                pending.TryRemove(queryId, out _);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            await CancelQuietlyAsync(agentId, queryId);
            throw new AgentQueryException(new AgentQueryFailure(AgentQueryFailureKind.Timeout, $"the agent did not answer within {options.Timeout.TotalSeconds:0.#} s"));
        }
        catch (OperationCanceledException)
        {
            await CancelQuietlyAsync(agentId, queryId);
            throw;
        }
    }

    /// <summary>
    /// Starts a download and waits for its first reply, so an error is still an answer of its own
    /// (problem+json) rather than a broken stream. The returned download holds one of the agent's
    /// query slots until it is disposed.
    /// </summary>
    public async Task<AgentDownload> OpenDownloadAsync(string agentId, string snapshotId, string path, DumpFormat format, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(options.Timeout);
        var queryId = Guid.NewGuid().ToString("N");
        IDisposable? slot = null;
        try
        {
            EnsureReachable(agentId);
            slot = await inFlight.AcquireAsync(agentId, deadline.Token);
            // Room for the whole window plus the end, an error and a few QoS 1 duplicates.
            var call = Register(queryId, agentId, capacity: options.DownloadWindow * 2 + 4);
            await PublishQueryAsync(call, MessageTypes.QueryDump,
                new DumpQuery(snapshotId, path, format, options.DownloadWindow, clock.GetUtcNow().Add(options.Timeout)), deadline.Token);
            var first = await call.NextAsync(deadline.Token);
            if (first.Kind == AgentQueries.Error)
            {
                throw new AgentQueryException(AgentQueryFailure.From(Parse<QueryError>(first.Payload)));
            }

            var download = new AgentDownload(this, call, slot, first, options.DownloadWindow, options.DownloadIdleTimeout);
            slot = null;
            return download;
        }
        catch (Exception ex)
        {
            pending.TryRemove(queryId, out _);
            slot?.Dispose();
            if (ex is OperationCanceledException)
            {
                await CancelQuietlyAsync(agentId, queryId);
                if (!ct.IsCancellationRequested)
                {
                    throw new AgentQueryException(new AgentQueryFailure(AgentQueryFailureKind.Timeout, $"the agent did not start the download within {options.Timeout.TotalSeconds:0.#} s"));
                }
            }

            throw;
        }
    }

    internal Task GrantAsync(PendingQuery call, int chunks, CancellationToken ct) =>
        PublishAsync(call.AgentId, MessageTypes.QueryCredit, WireJson.Serialize(new QueryCredit(call.Id, chunks)), call.Id, responseTopic: null, ct);

    /// <summary>Forgets the query; when it had not ended, tells the agent to stop its restic.</summary>
    internal async Task EndAsync(PendingQuery call, bool completed)
    {
        pending.TryRemove(call.Id, out _);
        if (!completed)
        {
            await CancelQuietlyAsync(call.AgentId, call.Id);
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        new MqttClientLoop($"Agent queries ({ClientId})", logger).RunAsync(
            broker.Url.ToString(),
            ClientOptions,
            e =>
            {
                Receive(e.ApplicationMessage);
                return Task.CompletedTask;
            },
            async (connection, ct) =>
            {
                var subscribed = await connection.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                    .WithTopicFilter(Topics.ReplyFilter(ClientId), MqttQualityOfServiceLevel.AtLeastOnce)
                    .WithTopicFilter(Topics.Root + "+/status", MqttQualityOfServiceLevel.AtLeastOnce)
                    .Build(), ct);
                if (subscribed.Items.FirstOrDefault(i => i.ResultCode > MqttClientSubscribeResultCode.GrantedQoS2) is { } refused)
                {
                    throw new InvalidOperationException($"subscription to {refused.TopicFilter.Topic} refused: {refused.ResultCode}");
                }

                client = connection;
            },
            () =>
            {
                client = null;
                Disconnected();
            },
            stoppingToken);

    MqttClientOptions ClientOptions()
    {
        var built = broker.ClientOptions(ClientId);
        if (built.ChannelOptions is MqttClientTcpOptions tcp)
        {
            // MQTTnet pins both socket buffers to 8 KiB by default, which switches off the kernel's autotuning:
            // a download chunk then crawls in at ~2 MiB/s (measured); a few chunks' worth lets it run at ~90 MiB/s.
            tcp.BufferSize = AgentQueries.ChunkBytes * 4;
        }

        return built;
    }

    /// <summary>Without the broker nothing in flight can be answered, and presence is unknown until the retained status comes again.</summary>
    void Disconnected()
    {
        presence.Clear();
        foreach (var call in pending.Values)
        {
            call.Fail(new AgentQueryFailure(AgentQueryFailureKind.Unavailable, "the connection to the broker was lost"));
        }
    }

    void EnsureReachable(string agentId)
    {
        if (!IsConnected)
        {
            throw new AgentQueryException(new AgentQueryFailure(AgentQueryFailureKind.Unavailable, "this service is not connected to the MQTT broker right now"));
        }

        if (!IsOnline(agentId))
        {
            throw new AgentQueryException(new AgentQueryFailure(AgentQueryFailureKind.Offline, $"host '{agentId}' is not online"));
        }
    }

    PendingQuery Register(string queryId, string agentId, int capacity)
    {
        var call = new PendingQuery(queryId, agentId, capacity);
        pending[queryId] = call;
        return call;
    }

    async Task PublishQueryAsync(PendingQuery call, string messageType, object query, CancellationToken ct) =>
        await PublishAsync(call.AgentId, messageType, WireJson.Serialize(query), call.Id, Topics.Reply(call.AgentId, ClientId), ct);

    async Task PublishAsync(string agentId, string messageType, byte[] payload, string queryId, string? responseTopic, CancellationToken ct)
    {
        var current = client ?? throw new AgentQueryException(new AgentQueryFailure(AgentQueryFailureKind.Unavailable, "this service is not connected to the MQTT broker right now"));
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(Topics.Command(agentId, messageType))
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithCorrelationData(Encoding.UTF8.GetBytes(queryId));
        if (responseTopic is not null)
        {
            message.WithResponseTopic(responseTopic);
        }

        MqttClientPublishResult result;
        try
        {
            // Never cancelled on the wire: MQTTnet stops a cancelled write midway, and the half-sent packet
            // corrupts the stream for every other query. The caller stops waiting; the send completes on its own.
            result = await current.PublishAsync(message.Build(), CancellationToken.None).WaitAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new AgentQueryException(new AgentQueryFailure(AgentQueryFailureKind.Unavailable, $"the query could not be sent: {ex.GetBaseException().Message}"));
        }

        if (result.ReasonCode == MqttClientPublishReasonCode.NoMatchingSubscribers)
        {
            // The broker knows nobody listens there: the agent went away after its status said online.
            throw new AgentQueryException(new AgentQueryFailure(AgentQueryFailureKind.Offline, $"host '{agentId}' is not connected"));
        }

        if (!result.IsSuccess)
        {
            throw Broken($"the broker refused the query: {result.ReasonCode} {result.ReasonString}");
        }
    }

    async Task CancelQuietlyAsync(string agentId, string queryId)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await PublishAsync(agentId, MessageTypes.QueryCancel, WireJson.Serialize(new QueryCancel(queryId)), queryId, responseTopic: null, timeout.Token);
        }
        catch (Exception ex) when (ex is AgentQueryException or OperationCanceledException)
        {
            // The agent also stops on its own when the query expires or its credits stop coming.
            logger.LogDebug("Could not cancel query {QueryId} on {AgentId}: {Error}", queryId, agentId, ex.Message);
        }
    }

    void Receive(MqttApplicationMessage message)
    {
        if (!Topics.TryParse(message.Topic, out var agentId, out var rest))
        {
            return;
        }

        if (rest == "status")
        {
            UpdatePresence(agentId, message);
            return;
        }

        if (!Topics.IsReplyOf(agentId, message.Topic) || rest != "reply/" + ClientId || message.CorrelationData is not { Length: > 0 } correlation)
        {
            return;
        }

        var queryId = Encoding.UTF8.GetString(correlation);
        if (!pending.TryGetValue(queryId, out var call))
        {
            return; // late, duplicate or cancelled
        }

        if (!string.Equals(call.AgentId, agentId, StringComparison.Ordinal))
        {
            // An agent answering a query it was never asked: it cannot speak for another host.
            logger.LogWarning("Ignored a reply from {AgentId} to query {QueryId} of {Asked}", agentId, queryId, call.AgentId);
            return;
        }

        var kind = Property(message, AgentQueries.ReplyProperty) ?? string.Empty;
        var seq = long.TryParse(Property(message, AgentQueries.SequenceProperty), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var s) ? s : (long?)null;
        call.Deliver(new AgentReply(kind, seq, System.Buffers.BuffersExtensions.ToArray(message.Payload)));
    }

    void UpdatePresence(string agentId, MqttApplicationMessage message)
    {
        if (message.Payload.IsEmpty)
        {
            presence.TryRemove(agentId, out _);
            return;
        }

        AgentStatus? status;
        try
        {
            var reader = new Utf8JsonReader(message.Payload);
            status = JsonSerializer.Deserialize<AgentStatus>(ref reader, WireJson.Options);
        }
        catch (JsonException)
        {
            return;
        }

        if (status is null)
        {
            return;
        }

        // Newer connection, or the end of the same one, wins: the order messages arrive in does not matter.
        presence.AddOrUpdate(agentId, status, (_, current) =>
            PresenceVersion.Of(status.ConnectionSeq, status.State == PresenceState.Online) > PresenceVersion.Of(current.ConnectionSeq, current.State == PresenceState.Online) ? status : current);
    }

    static string? Property(MqttApplicationMessage message, string name) =>
        message.UserProperties?.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal))?.ReadValueAsString();

    static T Parse<T>(byte[] payload)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(payload, WireJson.Options) ?? throw Broken($"the agent sent an empty {typeof(T).Name}");
        }
        catch (JsonException ex)
        {
            throw Broken($"the agent sent a malformed {typeof(T).Name}: {ex.Message}");
        }
    }

    static AgentQueryException Broken(string message) => new(new AgentQueryFailure(AgentQueryFailureKind.Failed, message));
}
