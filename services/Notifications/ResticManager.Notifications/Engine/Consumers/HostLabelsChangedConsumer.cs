using MassTransit;
using ResticManager.Contracts;
using ResticManager.ServiceDefaults;

namespace ResticManager.Notifications;

/// <summary>Keeps the copy of host labels that rule scopes (<c>label:k=v</c>) are matched against.</summary>
public sealed class HostLabelsChangedConsumer(NotificationsDbContext db) : IConsumer<HostLabelsChanged>
{
    public Task Consume(ConsumeContext<HostLabelsChanged> context) => db.ApplyAsync(context.Message, context.CancellationToken);
}
