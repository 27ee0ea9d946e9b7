using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;
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

sealed class EmbeddedAgentChannel(MqttServer server, ILogger<EmbeddedAgentChannel> logger) : IAgentChannel
{
    public Task SendAsync(string agentId, string messageType, byte[] payload, CancellationToken ct) =>
        server.InjectApplicationMessage(new InjectedMqttApplicationMessage(IAgentChannel.Command(agentId, messageType, payload)) { SenderClientId = AgentBridge.ServerClientId }, ct);

    public async Task DisconnectAsync(string agentId, string reason)
    {
        var client = (await server.GetClientsAsync()).FirstOrDefault(c => c.Id == agentId);
        if (client is null)
        {
            return;
        }

        await client.DisconnectAsync(new MqttServerClientDisconnectOptions { ReasonCode = MqttDisconnectReasonCode.NotAuthorized, ReasonString = reason });
        logger.LogInformation("Closed the connection of {AgentId}: {Reason}", agentId, reason);
    }
}
