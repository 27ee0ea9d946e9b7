using MassTransit;
using ResticManager.Contracts;

namespace ResticManager.Notifications;

/// <summary>Job failures, warnings, losses, successes and backup starts: alerts, recoveries and the host's last backup.</summary>
public sealed class JobStateChangedConsumer(EngineEvents events) : IConsumer<JobStateChanged>
{
    public Task Consume(ConsumeContext<JobStateChanged> context) => events.JobStateChangedAsync(context.Message, context.CancellationToken);
}
