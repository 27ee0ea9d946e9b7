using MassTransit;
using Microsoft.Extensions.Logging;
using MQTTnet.Protocol;
using MQTTnet.Server;
using ResticManager.Contracts;

namespace ResticManager.Broker;

/// <summary>Closes a revoked agent's live connection at once; its next CONNECT is refused.</summary>
public sealed class HostRevokedConsumer(MqttServer server, ILogger<HostRevokedConsumer> logger) : IConsumer<HostRevoked>
{
    public async Task Consume(ConsumeContext<HostRevoked> context)
    {
        var agentId = context.Message.AgentId;
        var clients = await server.GetClientsAsync();
        var client = clients.FirstOrDefault(c => c.Id == agentId);
        if (client is null)
        {
            return;
        }

        await client.DisconnectAsync(new MqttServerClientDisconnectOptions
        {
            ReasonCode = MqttDisconnectReasonCode.NotAuthorized,
            ReasonString = "this host has been revoked",
        });
        logger.LogInformation("Closed the connection of revoked host {AgentId}", agentId);
    }
}
