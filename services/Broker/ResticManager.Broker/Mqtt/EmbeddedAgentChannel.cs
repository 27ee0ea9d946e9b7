using Microsoft.Extensions.Logging;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace ResticManager.Broker;

sealed class EmbeddedAgentChannel(MqttServer server, AgentSessions sessions, ILogger<EmbeddedAgentChannel> logger) : IAgentChannel
{
    public async Task SendAsync(string agentId, string messageType, byte[] payload, CancellationToken ct)
    {
        if (!await sessions.TryEnqueueAsync(agentId, IAgentChannel.Command(agentId, messageType, payload)))
        {
            // No session: dropped, as a publish nobody subscribed to. Unstarted jobs are sent again at the agent's hello.
            logger.LogDebug("No session for {AgentId}: {MessageType} dropped", agentId, messageType);
        }
    }

    public async Task DisconnectAsync(string agentId, string reason)
    {
        try
        {
            await server.DisconnectClientAsync(agentId, new MqttServerClientDisconnectOptions { ReasonCode = MqttDisconnectReasonCode.NotAuthorized, ReasonString = reason });
        }
        catch (InvalidOperationException)
        {
            // Not connected (MQTTnet throws for an unknown client id): nothing to close.
            return;
        }

        logger.LogInformation("Closed the connection of {AgentId}: {Reason}", agentId, reason);
    }
}
