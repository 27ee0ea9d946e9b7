using MassTransit;
using ResticManager.Contracts;

namespace ResticManager.Jobs;

public sealed class HostEnrolledConsumer(JobHosts hosts) : IConsumer<HostEnrolled>
{
    public Task Consume(ConsumeContext<HostEnrolled> context) => hosts.EnsureAsync(context.Message.AgentId, context.CancellationToken);
}
