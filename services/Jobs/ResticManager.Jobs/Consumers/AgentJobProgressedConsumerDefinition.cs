using MassTransit;

namespace ResticManager.Jobs;

/// <summary>
/// Progress is QoS 0 and superseded within a second: a failed delivery is not worth a retry, and the
/// endpoint may run many at once since nothing is written.
/// </summary>
public sealed class AgentJobProgressedConsumerDefinition : ConsumerDefinition<AgentJobProgressedConsumer>
{
    public AgentJobProgressedConsumerDefinition() => ConcurrentMessageLimit = 64;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<AgentJobProgressedConsumer> consumerConfigurator, IRegistrationContext context) =>
        consumerConfigurator.UseMessageRetry(r => r.None());
}
