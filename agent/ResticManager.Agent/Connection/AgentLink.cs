using MQTTnet;
using MQTTnet.Protocol;
using ResticManager.Protocol;

namespace ResticManager.Agent.Connection;

/// <summary>
/// The current broker connection, for the parts of the agent that send (outbox, progress). Null
/// between connections; <see cref="Connected"/> fires after each successful connect and hello.
/// </summary>
public sealed class AgentLink
{
    volatile IMqttClient? client;

    public string AgentId { get; private set; } = string.Empty;

    public event Func<Task>? Connected;

    public bool IsConnected => client?.IsConnected == true;

    public async Task AttachAsync(IMqttClient connected, string agentId)
    {
        AgentId = agentId;
        client = connected;
        if (Connected is { } handlers)
        {
            foreach (var handler in handlers.GetInvocationList().Cast<Func<Task>>())
            {
                await handler();
            }
        }
    }

    public void Detach() => client = null;

    /// <summary>Sends if connected; false when there is no connection or the broker refused it.</summary>
    public async Task<bool> TryPublishAsync(string messageType, byte[] payload, MqttQualityOfServiceLevel qos, CancellationToken ct) =>
        await PublishAsync(messageType, payload, qos, ct) == PublishOutcome.Sent;

    /// <summary>
    /// Sends a message built by the caller (a query's reply: its own topic and MQTT 5 properties) if
    /// connected; false when there is no connection or the broker refused it. Never through the outbox.
    /// </summary>
    public async Task<bool> TryPublishAsync(MqttApplicationMessage message, CancellationToken ct)
    {
        var current = client;
        if (current is not { IsConnected: true })
        {
            return false;
        }

        try
        {
            var result = await SendAsync(current, message, ct);
            return result.IsSuccess || result.ReasonCode == MqttClientPublishReasonCode.NoMatchingSubscribers;
        }
        catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or InvalidOperationException)
        {
            return false;
        }
    }

    public async Task<PublishOutcome> PublishAsync(string messageType, byte[] payload, MqttQualityOfServiceLevel qos, CancellationToken ct)
    {
        var current = client;
        if (current is not { IsConnected: true })
        {
            return PublishOutcome.NotSent;
        }

        try
        {
            var result = await SendAsync(current, new MqttApplicationMessageBuilder()
                .WithTopic(Topics.Event(AgentId, messageType))
                .WithPayload(payload)
                .WithQualityOfServiceLevel(qos)
                .WithContentType("application/json")
                .Build(), ct);
            return result.IsSuccess || result.ReasonCode == MqttClientPublishReasonCode.NoMatchingSubscribers ? PublishOutcome.Sent
                : result.ReasonCode is MqttClientPublishReasonCode.QuotaExceeded or MqttClientPublishReasonCode.PayloadFormatInvalid
                    or MqttClientPublishReasonCode.TopicNameInvalid or MqttClientPublishReasonCode.NotAuthorized ? PublishOutcome.Refused
                : result.ReasonCode == MqttClientPublishReasonCode.ImplementationSpecificError ? PublishOutcome.RateLimited
                : PublishOutcome.NotSent;
        }
        catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or InvalidOperationException)
        {
            return PublishOutcome.NotSent;
        }
    }

    /// <summary>
    /// Never cancelled on the wire: MQTTnet stops a cancelled write midway, and the broker then reads the next
    /// packets as the rest of that payload, stalling the connection until keep-alive ends it. Only the wait stops.
    /// Events (a snapshots report of up to 1 MiB) are as exposed as a query's chunks.
    /// </summary>
    static Task<MqttClientPublishResult> SendAsync(IMqttClient client, MqttApplicationMessage message, CancellationToken ct) =>
        client.PublishAsync(message, CancellationToken.None).WaitAsync(ct);
}
