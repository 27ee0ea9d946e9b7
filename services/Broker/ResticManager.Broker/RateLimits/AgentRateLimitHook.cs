using Microsoft.Extensions.Logging;
using MQTTnet.Protocol;
using MQTTnet.Server;
using ResticManager.Protocol;

namespace ResticManager.Broker;

/// <summary>
/// Applies <see cref="AgentRateLimiter"/> to what agents publish to the embedded server, before the
/// bridge parses anything. A limited QoS 1 message gets PUBACK 0x83 "message rate too high" (MQTT 5
/// allows 0x96 only in DISCONNECT, and libmosquitto drops a connection that gets it in a PUBACK), which
/// our agent takes as "not sent": it keeps the event in its outbox and sends it again later. A flood
/// is disconnected with 0x96. Replies to queries (anything under the agent's own <c>reply/</c> prefix, where
/// the ACL lets it publish to any requester name) are counted too, in a larger bucket of their own: the
/// requester paces a download by credit, but a hostile agent need not wait for credit. One warning per
/// agent and kind per minute.
/// </summary>
public sealed class AgentRateLimitHook(MqttServer server, AgentRateLimiter limiter, TimeProvider clock, ILogger<AgentRateLimitHook> logger)
{
    public const string LimitedReason = "message rate too high";

    readonly LogOnce logOnce = new(clock, TimeSpan.FromMinutes(1));

    /// <summary>False when the message was refused here (its PUBACK is set), true when the bridge should take it.</summary>
    public async Task<bool> AdmitAsync(InterceptingPublishEventArgs e)
    {
        if (e.ClientId == AgentBridge.ServerClientId || ServiceClients.IsServiceClientId(e.ClientId))
        {
            return true;
        }

        var reply = Topics.IsReplyOf(e.ClientId, e.ApplicationMessage.Topic);
        // A reader's client id is its own choice (or assigned anew at each connect): its bucket is its configured name's, so they stay few.
        var bucket = FleetReaders.IsReader(e.ClientId) ? "$reader:" + e.UserName : e.ClientId;
        var decision = reply ? limiter.TakeReply(bucket) : limiter.Take(bucket);
        if (decision == RateDecision.Allowed)
        {
            return true;
        }

        e.ProcessPublish = false;
        e.Response.ReasonCode = MqttPubAckReasonCode.ImplementationSpecificError;
        e.Response.ReasonString = LimitedReason;
        if (reply && logOnce.ShouldLog($"reply-rate:{e.ClientId}"))
        {
            logger.LogWarning("Replies from {ClientId} refused: more than {Rate} a second (burst {Burst})",
                e.ClientId, limiter.RepliesPerSecond, limiter.ReplyBurst);
        }
        else if (!reply && logOnce.ShouldLog($"rate:{e.ClientId}"))
        {
            logger.LogWarning("Messages from {ClientId} refused: more than {Rate} a second (burst {Burst})",
                e.ClientId, limiter.MessagesPerSecond, limiter.Burst);
        }

        if (decision == RateDecision.Flood)
        {
            logger.LogWarning("Closed the connection of {ClientId}: it kept sending over its message rate", e.ClientId);
            await server.DisconnectClientAsync(e.ClientId, new MqttServerClientDisconnectOptions
            {
                ReasonCode = MqttDisconnectReasonCode.MessageRateTooHigh,
                ReasonString = LimitedReason,
            });
        }

        return false;
    }
}
