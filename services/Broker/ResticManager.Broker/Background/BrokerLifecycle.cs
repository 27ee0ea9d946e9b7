using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet.Server;
using ResticManager.Contracts;
using ResticManager.BuildingBlocks;

namespace ResticManager.Broker;

/// <summary>
/// Hooks the gate and the bridge into the server before it starts, announces each start on the
/// bus, and stops MQTT when the application stops (otherwise Kestrel waits on MQTT connections).
/// </summary>
sealed class BrokerLifecycle(
    MqttServer server, AgentConnectionGate gate, AgentRateLimitHook rateLimit, AgentBridge bridge, AgentSessions sessions, BrokerMetrics metrics, DisconnectReasons disconnects, IBus bus, IHostApplicationLifetime lifetime,
    IOptions<BrokerOptions> options, TimeProvider clock, ILogger<BrokerLifecycle> logger) : IHostedService
{
    readonly string brokerId = BuildingBlocks.Ids.New();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        server.ValidatingConnectionAsync += gate.ValidateAsync;
        server.InterceptingPublishAsync += async e =>
        {
            if (await rateLimit.AdmitAsync(e))
            {
                await bridge.InterceptPublishAsync(e);
                await sessions.RouteCommandAsync(e);
            }
        };
        server.InterceptingSubscriptionAsync += bridge.InterceptSubscriptionAsync;
        server.InterceptingOutboundPacketAsync += sessions.LeaveSubscriberSetAsync;
        server.ClientDisconnectedAsync += bridge.ClientDisconnectedAsync;
        metrics.Watch(server);
        disconnects.Watch(server);
        server.StartedAsync += async _ =>
        {
            logger.LogInformation("MQTT broker listening on port {Port}{Tls}", options.Value.Port,
                string.IsNullOrWhiteSpace(options.Value.Tls.CertificatePath) ? string.Empty : $" and TLS port {options.Value.Tls.Port}");
            await bus.Publish(new BrokerStarted(brokerId, clock.GetUtcNow()));
        };
        lifetime.ApplicationStopping.Register(() => server.StopAsync().Wait(TimeSpan.FromSeconds(5)));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
