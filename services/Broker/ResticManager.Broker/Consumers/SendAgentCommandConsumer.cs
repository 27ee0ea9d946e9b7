using MassTransit;
using ResticManager.Contracts;
using ResticManager.Protocol;

namespace ResticManager.Broker;

/// <summary>
/// The outbound half of the bridge: bus commands become QoS 1 messages on the agent's command topic. An acknowledgement
/// passing through ends the wait <see cref="AckLatency"/> measures.
/// </summary>
public sealed class SendAgentCommandConsumer(IAgentChannel channel, BrokerMetrics metrics, AckLatency ackLatency) : IConsumer<SendAgentCommand>
{
    public async Task Consume(ConsumeContext<SendAgentCommand> context)
    {
        var command = context.Message;
        await channel.SendAsync(command.AgentId, command.MessageType, command.Payload, context.CancellationToken);
        metrics.Sent(command.MessageType);
        if (command.MessageType == MessageTypes.Acknowledge && AcknowledgedEventIds(command.Payload) is { } eventIds)
        {
            ackLatency.Acknowledged(command.AgentId, eventIds);
        }
    }

    /// <summary>The server wrote the payload itself; a payload that does not parse only goes unmeasured.</summary>
    static IReadOnlyList<string>? AcknowledgedEventIds(byte[] payload)
    {
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize<Acknowledge>(payload, WireJson.Options)?.EventIds;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
