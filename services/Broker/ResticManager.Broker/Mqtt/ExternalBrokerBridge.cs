using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using ResticManager.Protocol;

namespace ResticManager.Broker;

/// <summary>
/// The bridge as a client of an external MQTT 5 broker (mosquitto, EMQX, HiveMQ). Agent events come
/// through a shared subscription, so several bridge replicas split them; the retained status topics
/// come through an unshared one, since shared subscriptions never receive retained messages. The
/// broker's ACL confines agents to their prefix; the bridge takes the agent id from the topic.
/// </summary>
sealed class ExternalBrokerBridge(AgentBridge bridge, IOptions<BrokerOptions> options, ILogger<ExternalBrokerBridge> logger) : BackgroundService, IAgentChannel
{
    readonly MqttClientFactory factory = new();
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
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
        while (!stoppingToken.IsCancellationRequested)
        {
            using var connection = factory.CreateMqttClient();
            var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            connection.DisconnectedAsync += _ =>
            {
                lost.TrySetResult();
                return Task.CompletedTask;
            };
            connection.ApplicationMessageReceivedAsync += async e =>
            {
                if (Topics.TryParse(e.ApplicationMessage.Topic, out var agentId, out _))
                {
                    await bridge.ForwardAsync(agentId, e.ApplicationMessage.Topic, e.ApplicationMessage.Payload, stoppingToken);
                }
            };

            try
            {
                var result = await connection.ConnectAsync(new MqttClientOptionsBuilder()
                    .WithConnectionUri(new Uri(external.Url!))
                    .WithProtocolVersion(MqttProtocolVersion.V500)
                    .WithClientId($"rm-bridge-{Environment.MachineName.ToLowerInvariant()}-{Environment.ProcessId}")
                    .WithCredentials(external.Username, external.Password)
                    .WithCleanStart(true)
                    .WithKeepAlivePeriod(TimeSpan.FromSeconds(30))
                    .Build(), stoppingToken);
                if (result.ResultCode != MqttClientConnectResultCode.Success)
                {
                    throw new InvalidOperationException($"{result.ResultCode} {result.ReasonString}");
                }

                await connection.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                    .WithTopicFilter($"$share/{external.SharedGroup}/{Topics.Root}+/evt/#", MqttQualityOfServiceLevel.AtLeastOnce)
                    .WithTopicFilter($"{Topics.Root}+/status", MqttQualityOfServiceLevel.AtLeastOnce)
                    .Build(), stoppingToken);
                client = connection;
                backoff.Reset();
                logger.LogInformation("Bridge connected to the external broker at {Url}", external.Url);
                await lost.Task.WaitAsync(stoppingToken);
                logger.LogWarning("Lost the external broker; reconnecting");
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogWarning("Cannot reach the external broker at {Url}: {Error}; retrying", external.Url, ex.GetBaseException().Message);
            }
            finally
            {
                client = null;
            }

            try
            {
                await Task.Delay(backoff.Next(), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }
}
