using MassTransit;
using ResticManager.Contracts;
using ResticManager.ServiceDefaults;

namespace ResticManager.Snapshots;

/// <summary>Keeps the copy of host labels that snapshot, browse and restore endpoints check grants against.</summary>
public sealed class HostLabelsChangedConsumer(SnapshotsDbContext db) : IConsumer<HostLabelsChanged>
{
    public Task Consume(ConsumeContext<HostLabelsChanged> context) => db.ApplyAsync(context.Message, context.CancellationToken);
}
