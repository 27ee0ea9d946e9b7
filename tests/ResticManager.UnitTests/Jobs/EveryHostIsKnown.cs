using MassTransit;
using ResticManager.Contracts;

namespace ResticManager.UnitTests.Jobs;

/// <summary>The inventory, for tests of the jobs service alone: every host exists, is bound and not revoked.</summary>
public sealed class EveryHostIsKnown : IConsumer<GetJobTarget>
{
    public Task Consume(ConsumeContext<GetJobTarget> context) =>
        context.RespondAsync(new JobTarget(true, false, context.Message.HostId, 1));
}
