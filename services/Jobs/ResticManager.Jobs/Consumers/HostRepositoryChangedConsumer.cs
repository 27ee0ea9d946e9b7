using MassTransit;
using ResticManager.Contracts;

namespace ResticManager.Jobs;

public sealed class HostRepositoryChangedConsumer(JobHosts hosts) : IConsumer<HostRepositoryChanged>
{
    public Task Consume(ConsumeContext<HostRepositoryChanged> context) => hosts.ApplyRepositoryChangeAsync(context.Message, context.CancellationToken);
}
