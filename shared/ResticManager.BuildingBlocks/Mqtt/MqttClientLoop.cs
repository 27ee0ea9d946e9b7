using Microsoft.Extensions.Logging;
using MQTTnet;
using ResticManager.Protocol;

namespace ResticManager.BuildingBlocks;

/// <summary>
/// A service's own MQTT client that stays connected (MQTTnet 5 has no managed client): connect, check
/// the CONNACK, let the owner subscribe, serve until the link drops, back off with full jitter, repeat.
/// The external-broker bridge and the agent-query requester each run one; the agent has its own loop,
/// which also handles refusals and protocol versions.
/// </summary>
public sealed class MqttClientLoop(string name, ILogger logger)
{
    readonly MqttClientFactory factory = new();

    /// <param name="url">Where it connects, for the log.</param>
    /// <param name="options">The client options, built anew for each connection.</param>
    /// <param name="receive">Every message received.</param>
    /// <param name="connected">Subscribes; once it returns the client is the owner's to publish with until <paramref name="disconnected"/>.</param>
    /// <param name="disconnected">The client is gone (lost, refused or stopping).</param>
    public async Task RunAsync(
        string url,
        Func<MqttClientOptions> options,
        Func<MqttApplicationMessageReceivedEventArgs, Task> receive,
        Func<IMqttClient, CancellationToken, Task> connected,
        Action disconnected,
        CancellationToken stoppingToken)
    {
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
            connection.ApplicationMessageReceivedAsync += receive;

            try
            {
                var result = await connection.ConnectAsync(options(), stoppingToken);
                if (result.ResultCode != MqttClientConnectResultCode.Success)
                {
                    throw new InvalidOperationException($"{result.ResultCode} {result.ReasonString}");
                }

                await connected(connection, stoppingToken);
                backoff.Reset();
                logger.LogInformation("{Name} connected to the broker at {Url}", name, url);
                await lost.Task.WaitAsync(stoppingToken);
                logger.LogWarning("{Name} lost the broker at {Url}; reconnecting", name, url);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogWarning("{Name} cannot reach the broker at {Url}: {Error}; retrying", name, url, ex.GetBaseException().Message);
            }
            finally
            {
                disconnected();
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
