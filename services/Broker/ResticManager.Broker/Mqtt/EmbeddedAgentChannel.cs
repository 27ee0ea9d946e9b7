using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace ResticManager.Broker;

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
