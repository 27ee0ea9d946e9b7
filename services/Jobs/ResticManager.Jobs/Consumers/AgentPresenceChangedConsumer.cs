using MassTransit;
using ResticManager.Contracts;

namespace ResticManager.Jobs;

public sealed class AgentPresenceChangedConsumer(JobHosts hosts) : IConsumer<AgentPresenceChanged>
{
    public Task Consume(ConsumeContext<AgentPresenceChanged> context) => hosts.ApplyPresenceAsync(context.Message.AgentId, context.Message.Online, context.Message.ConnectionSeq, context.CancellationToken);
}
