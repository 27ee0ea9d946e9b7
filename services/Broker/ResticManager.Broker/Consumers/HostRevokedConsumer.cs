using MassTransit;
using ResticManager.Contracts;

namespace ResticManager.Broker;

/// <summary>Closes a revoked agent's live connection at once; its next CONNECT is refused.</summary>
public sealed class HostRevokedConsumer(IAgentChannel channel) : IConsumer<HostRevoked>
{
    public Task Consume(ConsumeContext<HostRevoked> context) => channel.DisconnectAsync(context.Message.AgentId, "this host has been revoked");
}
