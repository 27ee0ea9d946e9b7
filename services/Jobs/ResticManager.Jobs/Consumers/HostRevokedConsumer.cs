using MassTransit;
using ResticManager.Contracts;

namespace ResticManager.Jobs;

public sealed class HostRevokedConsumer(JobHosts hosts) : IConsumer<HostRevoked>
{
    public Task Consume(ConsumeContext<HostRevoked> context) => hosts.RevokeAsync(context.Message.AgentId, context.CancellationToken);
}
