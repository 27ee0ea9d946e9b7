using MQTTnet;
using MQTTnet.Protocol;
using ResticManager.Protocol;

namespace ResticManager.Broker;

/// <summary>How server-to-agent messages leave: injected into the embedded broker, or published to an external one.</summary>
public interface IAgentChannel
{
    /// <summary>QoS 1, never retained, on <c>…/cmd/{messageType}</c>.</summary>
    Task SendAsync(string agentId, string messageType, byte[] payload, CancellationToken ct);

    /// <summary>Closes the agent's live connection, where the broker allows it.</summary>
    Task DisconnectAsync(string agentId, string reason);

    internal static MqttApplicationMessage Command(string agentId, string messageType, byte[] payload) =>
        new MqttApplicationMessageBuilder()
            .WithTopic(Topics.Command(agentId, messageType))
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithContentType("application/json")
            .Build();
}
