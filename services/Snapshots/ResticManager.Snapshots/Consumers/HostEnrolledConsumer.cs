using MassTransit;
using ResticManager.Contracts;

namespace ResticManager.Snapshots;

/// <summary>An enrolled host gets its (empty) catalogue, so its snapshot list answers before the first report.</summary>
public sealed class HostEnrolledConsumer(SnapshotsDbContext db) : IConsumer<HostEnrolled>
{
    public Task Consume(ConsumeContext<HostEnrolled> context) => HostCatalogs.EnsureAsync(db, context.Message.AgentId, context.CancellationToken);
}
