using MQTTnet;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using MQTTnet.Server;
using ResticManager.Protocol;

namespace ResticManager.Broker;

/// <summary>
/// Delivers what is addressed to one agent (its <c>…/cmd/…</c> topics) straight into that agent's session. Nobody but
/// the agent can subscribe there (the ACL), so routing by subscriptions would only find what the topic already names,
/// and MQTTnet's routing matches every publish against every subscriber session: at fleet scale that walk dominated
/// the broker's CPU. The agents' own command subscriptions are therefore not stored (<see cref="AgentBridge.InterceptSubscriptionAsync"/>),
/// which keeps the agents out of the subscriber set the broker walks for what is still routed (status, replies,
/// the fleet stream). MQTTnet 5.2 puts a session into that set at every SUBSCRIBE, even one whose filters were all
/// left unstored, and takes it out only at an UNSUBSCRIBE that leaves it without subscriptions: so once the agent's
/// SUBACK goes out, the server unsubscribes the agent's command filter on its behalf (<see cref="LeaveSubscriberSetAsync"/>).
/// A message for an agent without a session is dropped, as a publish nobody subscribed to was:
/// the jobs service sends unstarted jobs again when the agent says hello.
/// </summary>
public sealed class AgentSessions(MqttServer server)
{
    /// <summary>
    /// Queues <paramref name="message"/> in the session of <paramref name="agentId"/>, connected or kept across a
    /// disconnect (it goes out at the reconnect). False when the agent has no session or its queue refused the message.
    /// </summary>
    public async Task<bool> TryEnqueueAsync(string agentId, MqttApplicationMessage message)
    {
        MqttSessionStatus session;
        try
        {
            session = await server.GetSessionAsync(agentId);
        }
        catch (InvalidOperationException)
        {
            // MQTTnet 5.2 throws for an unknown session id (and for a server not started) rather than returning null.
            return false;
        }

        // The session assigns the packet identifier of a QoS 1 message, as the routed path does.
        return session.TryEnqueueApplicationMessage(message, out _);
    }

    /// <summary>
    /// Takes a publish that passed the ACL and is addressed to an agent's command topic (a service's query, or an agent
    /// writing to its own command topic) out of MQTTnet's routing and into the agent's session. The sender sees
    /// "no matching subscribers" when the agent has no session, as before.
    /// </summary>
    public async Task RouteCommandAsync(InterceptingPublishEventArgs e)
    {
        if (!e.ProcessPublish || !IsCommandTopic(e.ApplicationMessage.Topic, out var agentId))
        {
            return;
        }

        e.ProcessPublish = false;
        var message = e.ApplicationMessage;
        if (message.QualityOfServiceLevel > MqttQualityOfServiceLevel.AtLeastOnce)
        {
            // The agent subscribes with QoS 1, and a routed message never went out above its subscription's QoS.
            message.QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce;
        }

        if (!await TryEnqueueAsync(agentId, message) && e.Response.ReasonCode == MqttPubAckReasonCode.Success)
        {
            e.Response.ReasonCode = MqttPubAckReasonCode.NoMatchingSubscribers;
        }
    }

    /// <summary>
    /// The outbound hook: after an agent's SUBACK (its SUBSCRIBE is complete by then), takes its session back out of
    /// the set MQTTnet walks for every routed publish. A session with a filter that is stored (a foreign client
    /// subscribing to its whole prefix) keeps that filter and stays in the set, as it must.
    /// </summary>
    public async Task LeaveSubscriberSetAsync(InterceptingPacketEventArgs e)
    {
        if (e.Packet is not MqttSubAckPacket || !AgentIdentity.IsValid(e.ClientId))
        {
            return;
        }

        try
        {
            await server.UnsubscribeAsync(e.ClientId, [Topics.CommandFilter(e.ClientId)]);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException)
        {
            // The session ended meanwhile: nothing left to take out.
        }
    }

    static bool IsCommandTopic(string topic, out string agentId) =>
        Topics.TryParse(topic, out agentId, out var rest) && rest.StartsWith("cmd/", StringComparison.Ordinal);
}
