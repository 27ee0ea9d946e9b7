using MassTransit;
using Microsoft.Extensions.Logging;
using MQTTnet.Protocol;
using MQTTnet.Server;
using ResticManager.Contracts;
using ResticManager.Protocol;

namespace ResticManager.Broker;

/// <summary>
/// The bridge between agents and the bus, hooked into the embedded server in-process: inbound
/// messages are taken in the publish interceptor (not by a subscribing client, which would slow the
/// broker under backlog), checked against the topic ACL, parsed, and published as bus events before
/// the PUBACK goes out. Bad input is answered with an MQTT reason code, logged once, and dropped.
/// </summary>
public sealed class AgentBridge(
    IBus bus, ConnectionRegistry connections, FleetStreamAccess fleetStream, BrokerMetrics metrics, BridgeBacklog backlog, AckLatency ackLatency, TimeProvider clock,
    ILogger<AgentBridge> logger)
{
    /// <summary>Sender id of messages the server itself injects; never a valid agent id.</summary>
    public const string ServerClientId = "$server";

    /// <summary>A status is a few dozen bytes; the bound keeps the one message each agent may retain small.</summary>
    public const int MaxStatusBytes = 4096;

    readonly LogOnce logOnce = new(clock, TimeSpan.FromMinutes(1));

    public Task InterceptSubscriptionAsync(InterceptingSubscriptionEventArgs e)
    {
        if (ServiceClients.IsServiceClientId(e.ClientId))
        {
            // Only a service can have this client id (the gate checks its secret): its replies and the agents' status, nothing else.
            if (!ServiceClients.MaySubscribe(e.ClientId, e.TopicFilter.Topic))
            {
                e.ProcessSubscription = false;
                e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
                e.ReasonString = "services may subscribe only to their own replies and to the agents' status";
                Warn($"sub:{e.ClientId}", "Subscription of {ClientId} to {Topic} refused: not a service's topic", e.ClientId, e.TopicFilter.Topic);
            }

            return Task.CompletedTask;
        }

        if (FleetReaders.IsReader(e.ClientId))
        {
            // Neither an agent nor a service: the gate admitted it as a reader of the fleet stream, and that is all it may read.
            if (!FleetReaders.MaySubscribe(e.TopicFilter.Topic, fleetStream.DiscoveryPrefix))
            {
                e.ProcessSubscription = false;
                e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
                e.ReasonString = $"readers may subscribe only under {FleetTopics.Root} and {fleetStream.DiscoveryPrefix}/";
                Warn("sub:reader", "Subscription of reader {ClientId} to {Topic} refused: outside the fleet stream", e.ClientId, e.TopicFilter.Topic);
            }

            return Task.CompletedTask;
        }

        if (!Topics.IsAllowedForAgent(e.ClientId, e.TopicFilter.Topic))
        {
            e.ProcessSubscription = false;
            e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
            e.ReasonString = "agents may subscribe only under their own prefix";
            Warn($"sub:{e.ClientId}", "Subscription of {ClientId} to {Topic} refused: outside its prefix", e.ClientId, e.TopicFilter.Topic);
        }
        else if (e.TopicFilter.Topic == Topics.CommandFilter(e.ClientId))
        {
            // Granted but not stored: everything on the agent's command topics goes straight into its session
            // (AgentSessions), and a stored subscription would put every agent into the set of sessions MQTTnet
            // matches each routed publish against (status, replies, the fleet stream), a cost that grows with the fleet.
            e.ProcessSubscription = false;
        }

        return Task.CompletedTask;
    }

    public async Task InterceptPublishAsync(InterceptingPublishEventArgs e)
    {
        if (e.ClientId == ServerClientId)
        {
            return;
        }

        var topic = e.ApplicationMessage.Topic;
        if (ServiceClients.IsServiceClientId(e.ClientId))
        {
            // A query is routed to its agent, never retained; the fleet stream is routed to its readers, retained or not.
            // Neither is consumed here, so both keep ProcessPublish: routing is their whole point.
            if (!ServiceClients.MayPublish(e.ClientId, topic, e.ApplicationMessage.Retain, fleetStream.DiscoveryPrefix))
            {
                Reject(e, MqttPubAckReasonCode.NotAuthorized, "services may publish only queries, unretained, to an agent's command topic, and the fleet stream");
                Warn($"pub-acl:{e.ClientId}", "Publish of {ClientId} to {Topic} refused: not a query nor the fleet stream", e.ClientId, topic);
            }

            return;
        }

        if (FleetReaders.IsReader(e.ClientId))
        {
            // Readers read; their will message and Home Assistant's birth message end here too.
            Reject(e, MqttPubAckReasonCode.NotAuthorized, "readers of the fleet stream may not publish");
            Warn("pub-acl:reader", "Publish of reader {ClientId} to {Topic} refused: readers may not publish", e.ClientId, topic);
            return;
        }

        if (!Topics.IsAllowedForAgent(e.ClientId, topic))
        {
            Reject(e, MqttPubAckReasonCode.NotAuthorized, "agents may publish only under their own prefix");
            Warn($"pub-acl:{e.ClientId}", "Publish of {ClientId} to {Topic} refused: outside its prefix", e.ClientId, topic);
            return;
        }

        var isStatus = topic == Topics.Status(e.ClientId);
        var size = e.ApplicationMessage.Payload.Length;
        if (size > (isStatus ? MaxStatusBytes : WireJson.MaxPayloadBytes))
        {
            // Every agent topic is bounded, routed ones too: the server holds each message in memory until delivered.
            var limit = isStatus ? MaxStatusBytes : WireJson.MaxPayloadBytes;
            Reject(e, MqttPubAckReasonCode.QuotaExceeded, $"payload of {size} bytes exceeds {limit}");
            Warn($"size:{e.ClientId}", "Publish of {ClientId} to {Topic} refused: payload of {Size} bytes exceeds {Limit}", e.ClientId, topic, size, limit);
            return;
        }

        if (e.ApplicationMessage.Retain && !isStatus)
        {
            // Retained messages stay in the server's memory for good: an agent keeps exactly one, its presence.
            Reject(e, MqttPubAckReasonCode.NotAuthorized, "agents may retain only their status topic");
            Warn($"retain:{e.ClientId}", "Publish of {ClientId} to {Topic} refused: retained outside its status topic", e.ClientId, topic);
            return;
        }

        if (!isStatus && !topic.StartsWith(Topics.AgentPrefix(e.ClientId) + "evt/", StringComparison.Ordinal))
        {
            // Under the agent's own prefix but not addressed to the server (e.g. its command topic): just routed.
            return;
        }

        ParseFailure? failure;
        string? error;
        using (backlog.Enter())
        {
            (failure, error) = await ForwardAsync(e.ClientId, topic, e.ApplicationMessage.Payload, e.CancellationToken);
        }

        if (failure is { } parseFailure)
        {
            var code = parseFailure switch
            {
                ParseFailure.UnknownMessageType or ParseFailure.NotAnAgentTopic => MqttPubAckReasonCode.TopicNameInvalid,
                ParseFailure.TooLarge => MqttPubAckReasonCode.QuotaExceeded,
                ParseFailure.None => MqttPubAckReasonCode.UnspecifiedError,
                _ => MqttPubAckReasonCode.PayloadFormatInvalid,
            };
            Reject(e, code, error!);
        }
        else if (!e.ApplicationMessage.Retain)
        {
            // Consumed here; nobody subscribes to events, and MQTTnet would otherwise match each one against
            // every session's subscriptions, which at fleet scale dominates the broker's CPU (DESIGN §5).
            e.ProcessPublish = false;
        }
    }

    /// <summary>
    /// Parses one agent message and publishes it on the bus. Returns the failure (None: the bus
    /// refused it, retry later) and its reason, or null when it was forwarded. Shared by the embedded
    /// broker's hook and the client of an external broker.
    /// </summary>
    public async Task<(ParseFailure? Failure, string? Error)> ForwardAsync(string agentId, string topic, System.Buffers.ReadOnlySequence<byte> payload, CancellationToken ct)
    {
        var failure = AgentMessageParser.TryParse(topic, payload, out var message, out var error);
        if (failure != ParseFailure.None)
        {
            Warn($"bad:{agentId}:{failure}:{LastLevel(topic)}", "Message from {ClientId} on {Topic} refused: {Error}", agentId, topic, error);
            return (failure, error);
        }

        if (PresenceSeq(message!) is { } seq && !connections.IsPlausibleSeq(agentId, seq))
        {
            error = $"connectionSeq {seq} is beyond every connection this agent announced";
            Warn($"bad:{agentId}:seq", "Message from {ClientId} on {Topic} refused: {Error}", agentId, topic, error);
            return (ParseFailure.Malformed, error);
        }

        message = AgentTimestamps.ClampToServer(message!, clock.GetUtcNow());
        if (message is { Hello: not null } or { Status.State: PresenceState.Online })
        {
            connections.Announced(agentId);
        }

        try
        {
            await PublishToBusAsync(message!, ct);
            metrics.Received(message!.Type);
            if (OutboxEvent(message) is { } outboxEvent)
            {
                ackLatency.Forwarded(agentId, outboxEvent.EventId);
            }

            return (null, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not acknowledged as success: a QoS 1 sender keeps the message and may try again.
            logger.LogWarning(ex, "Could not forward {Type} from {ClientId} to the bus", message!.Type, agentId);
            return (ParseFailure.None, "the server could not accept the message right now");
        }
    }

    /// <summary>
    /// A clean disconnect (or a dropped connection whose will was not sent) still ends that
    /// connection's presence. Takeovers are skipped: the new connection is the same agent, online.
    /// </summary>
    public async Task ClientDisconnectedAsync(ClientDisconnectedEventArgs e)
    {
        if (e.DisconnectType == MqttClientDisconnectType.Takeover
            || !connections.TryRemoveAnnounced(e.ClientId, e.RemoteEndPoint?.ToString() ?? string.Empty, out var seq))
        {
            return;
        }

        try
        {
            await bus.Publish(new AgentPresenceChanged(e.ClientId, false, seq, clock.GetUtcNow(), $"disconnect-{e.DisconnectType}".ToLowerInvariant()));
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not publish the disconnect of {ClientId}", e.ClientId);
        }
    }

    Task PublishToBusAsync(AgentMessage message, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return message switch
        {
            // The server's clock, not the agent's: a skewed agent clock must not move its stale deadline.
            { Status: { } s } => bus.Publish(new AgentPresenceChanged(message.AgentId, s.State == PresenceState.Online, s.ConnectionSeq, now, s.State == PresenceState.Online ? "status-online" : "status-offline"), ct),
            { Hello: { } h } => bus.Publish(new AgentHelloReceived(message.AgentId, h.EventId, h.ProtocolVersion, h.ConnectionSeq, h.Hostname, h.Os, h.Arch, h.AgentVersion, h.ResticVersion, h.HeartbeatIntervalSeconds, h.SentAt, now), ct),
            { Heartbeat: { } b } => bus.Publish(new AgentHeartbeatReceived(message.AgentId, b.EventId, b.ConnectionSeq, b.SentAt, now), ct),
            { JobStarted: { } j } => bus.Publish(new AgentJobStarted(message.AgentId, j), ct),
            { JobLog: { } j } => bus.Publish(new AgentJobLogged(message.AgentId, j), ct),
            { JobFinished: { } j } => bus.Publish(new AgentJobFinished(message.AgentId, j), ct),
            { JobProgress: { } j } => bus.Publish(new AgentJobProgressed(message.AgentId, j), ct),
            { SnapshotsReport: { } r } => bus.Publish(new AgentSnapshotsReported(message.AgentId, r), ct),
            { RepositoryStats: { } r } => bus.Publish(new AgentRepositoryStatsReported(message.AgentId, r), ct),
            _ => Task.CompletedTask,
        };
    }

    /// <summary>The QoS 1 events an agent keeps until the server acknowledges them.</summary>
    static IOutboxEvent? OutboxEvent(AgentMessage message) =>
        (IOutboxEvent?)message.JobStarted ?? (IOutboxEvent?)message.JobLog ?? (IOutboxEvent?)message.JobFinished
        ?? (IOutboxEvent?)message.SnapshotsReport ?? message.RepositoryStats;

    static long? PresenceSeq(AgentMessage message) => message.Status?.ConnectionSeq ?? message.Hello?.ConnectionSeq ?? message.Heartbeat?.ConnectionSeq;

    static string LastLevel(string topic) => topic[(topic.LastIndexOf('/') + 1)..];

    static void Reject(InterceptingPublishEventArgs e, MqttPubAckReasonCode code, string reason)
    {
        e.ProcessPublish = false;
        e.Response.ReasonCode = code;
        e.Response.ReasonString = reason;
    }

    void Warn(string key, string template, params object?[] args)
    {
        if (logOnce.ShouldLog(key))
        {
#pragma warning disable CA2254 // The templates are the constant strings passed by the callers above.
            logger.LogWarning(template, args);
#pragma warning restore CA2254
        }
    }
}
