using MassTransit;
using Microsoft.EntityFrameworkCore;
using ResticManager.Contracts;
using ResticManager.Protocol;

namespace ResticManager.Jobs;

/// <summary>Jobs asked for over the bus (by the schedules service).</summary>
public sealed class QueueJobConsumer(JobIntake intake) : IConsumer<QueueJob>
{
    public async Task Consume(ConsumeContext<QueueJob> context) =>
        await context.RespondAsync(await intake.QueueAsync(context.Message, context.CancellationToken));
}
