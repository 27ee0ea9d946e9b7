using MassTransit;

namespace ResticManager.Inventory;

/// <summary>
/// A request someone waits for with a timeout (the broker at CONNECT, the jobs service before it
/// queues a job): only read, retried briefly, because an answer after the caller gave up reaches no one.
/// </summary>
public sealed class AnswerConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer> where TConsumer : class, IConsumer
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<TConsumer> consumerConfigurator, IRegistrationContext context) =>
        consumerConfigurator.UseMessageRetry(r => r.Intervals(100, 500));
}
