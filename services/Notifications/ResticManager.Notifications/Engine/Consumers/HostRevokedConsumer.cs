using MassTransit;
using ResticManager.Contracts;

namespace ResticManager.Notifications;

/// <summary>A revoked host: its state, and its open alerts forgotten (none will recover).</summary>
public sealed class HostRevokedConsumer(EngineEvents events) : IConsumer<HostRevoked>
{
    public Task Consume(ConsumeContext<HostRevoked> context) => events.HostRevokedAsync(context.Message, context.CancellationToken);
}
