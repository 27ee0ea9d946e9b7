using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using ResticManager.BuildingBlocks;
using ResticManager.Protocol;

namespace ResticManager.Broker;

/// <summary>
/// The bridge as a client of an external MQTT 5 broker (mosquitto, EMQX, HiveMQ). Agent events come
/// through a shared subscription, so several bridge replicas split them; the retained status topics
/// come through an unshared one, since shared subscriptions never receive retained messages. The
/// broker's ACL confines agents to their prefix; the bridge takes the agent id from the topic.
/// </summary>
sealed class ExternalBrokerBridge(AgentBridge bridge, BridgeBacklog backlog, IOptions<BrokerOptions> options, ILogger<ExternalBrokerBridge> logger) : BackgroundService, IAgentChannel
{
    readonly LogOnce revokeWarning = new(TimeProvider.System, TimeSpan.FromHours(1));
    volatile IMqttClient? client;

    public async Task SendAsync(string agentId, string messageType, byte[] payload, CancellationToken ct)
    {
        var current = client ?? throw new InvalidOperationException("not connected to the external broker yet");
        var result = await current.PublishAsync(IAgentChannel.Command(agentId, messageType, payload), ct);
        if (!result.IsSuccess && result.ReasonCode != MqttClientPublishReasonCode.NoMatchingSubscribers)
        {
            throw new InvalidOperationException($"the external broker refused a command for {agentId}: {result.ReasonCode} {result.ReasonString}");
        }
    }

    public Task DisconnectAsync(string agentId, string reason)
    {
        if (revokeWarning.ShouldLog("revoke"))
        {
            logger.LogWarning("With an external broker the bridge cannot close {AgentId}'s connection: regenerate the broker's password file "
                + "(ResticManager.Inventory.Host mosquitto-files) and reload the broker", agentId);
        }

        return Task.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var external = options.Value.External;
        await using var intake = new ExternalBrokerIntake(bridge, backlog, external.MaxInFlight, logger);
        await new MqttClientLoop("Bridge", logger).RunAsync(
            external.Url!,
            () => new MqttClientOptionsBuilder()
                .WithConnectionUri(new Uri(external.Url!))
                .WithProtocolVersion(MqttProtocolVersion.V500)
                .WithClientId($"rm-bridge-{Environment.MachineName.ToLowerInvariant()}-{Environment.ProcessId}")
                .WithCredentials(external.Username, external.Password)
                .WithCleanStart(true)
                .WithKeepAlivePeriod(TimeSpan.FromSeconds(30))
                .WithReceiveMaximum((ushort)Math.Min(external.MaxInFlight, ushort.MaxValue))
                .Build(),
            intake.ReceiveAsync,
            async (connection, ct) =>
            {
                await connection.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                    .WithTopicFilter($"$share/{external.SharedGroup}/{Topics.Root}+/evt/#", MqttQualityOfServiceLevel.AtLeastOnce)
                    .WithTopicFilter($"{Topics.Root}+/status", MqttQualityOfServiceLevel.AtLeastOnce)
                    .Build(), ct);
                client = connection;
            },
            () => client = null,
            stoppingToken);
    }
}
