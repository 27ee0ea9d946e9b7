using MassTransit;
using ResticManager.Contracts;
using ResticManager.ServiceDefaults;

namespace ResticManager.Jobs;

/// <summary>Keeps the copy of host labels that job endpoints check grants against.</summary>
public sealed class HostLabelsChangedConsumer(JobsDbContext db) : IConsumer<HostLabelsChanged>
{
    public Task Consume(ConsumeContext<HostLabelsChanged> context) => db.ApplyAsync(context.Message, context.CancellationToken);
}
