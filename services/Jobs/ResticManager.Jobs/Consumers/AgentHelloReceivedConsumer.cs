using MassTransit;
using ResticManager.Contracts;

namespace ResticManager.Jobs;

public sealed class AgentHelloReceivedConsumer(JobHosts hosts) : IConsumer<AgentHelloReceived>
{
    public Task Consume(ConsumeContext<AgentHelloReceived> context) => hosts.ApplyPresenceAsync(context.Message.AgentId, true, context.Message.ConnectionSeq, context.CancellationToken);
}
