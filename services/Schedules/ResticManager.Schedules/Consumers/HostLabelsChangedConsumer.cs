using MassTransit;
using ResticManager.Contracts;
using ResticManager.ServiceDefaults;

namespace ResticManager.Schedules;

/// <summary>Keeps the copy of host labels that schedule, group and maintenance endpoints check grants against.</summary>
public sealed class HostLabelsChangedConsumer(SchedulesDbContext db) : IConsumer<HostLabelsChanged>
{
    public Task Consume(ConsumeContext<HostLabelsChanged> context) => db.ApplyAsync(context.Message, context.CancellationToken);
}
