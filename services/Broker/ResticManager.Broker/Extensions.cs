using System.Net;
using System.Security.Cryptography.X509Certificates;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet.AspNetCore;
using MQTTnet.Server;
using ResticManager.Contracts;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Broker;

public static class BrokerExtensions
{
    public const string WebSocketPath = "/mqtt";

    /// <summary>
    /// The embedded MQTTnet broker: TCP on <c>Mqtt:Port</c>, TLS on <c>Mqtt:Tls:Port</c> when
    /// <c>Mqtt:Tls:CertificatePath</c> is set, and MQTT over WebSocket at <c>/mqtt</c> (see <see cref="MapBroker"/>).
    /// </summary>
    public static IHostApplicationBuilder AddBroker(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<BrokerOptions>(builder.Configuration.GetSection("Mqtt"));
        builder.Services.AddSingleton<ConnectionRegistry>();
        builder.Services.AddSingleton<AgentBridge>();
        builder.Services.AddBusRegistration(x =>
        {
            x.AddConsumer<HostRevokedConsumer>();
            x.AddConsumer<SendAgentCommandConsumer, SendAgentCommandConsumerDefinition>();
            x.AddRequestClient<AuthenticateAgent>();
        });

        if (IsExternal(builder.Configuration))
        {
            builder.Services.AddSingleton<ExternalBrokerBridge>();
            builder.Services.AddSingleton<IAgentChannel>(sp => sp.GetRequiredService<ExternalBrokerBridge>());
            builder.Services.AddHostedService(sp => sp.GetRequiredService<ExternalBrokerBridge>());
            return builder;
        }

        builder.Services.AddSingleton<AgentConnectionGate>();
        builder.Services.AddSingleton<IAgentChannel, EmbeddedAgentChannel>();
        builder.Services.AddHostedMqttServerWithServices(o => ConfigureServer(o, o.ServiceProvider.GetRequiredService<IOptions<BrokerOptions>>().Value));
        builder.Services.AddConnections();
        builder.Services.AddMqttConnectionHandler();
        builder.Services.AddMqttTcpServerAdapter();
        builder.Services.AddHostedService<BrokerLifecycle>();
        return builder;
    }

    static bool IsExternal(Microsoft.Extensions.Configuration.IConfiguration configuration) =>
        Microsoft.Extensions.Configuration.ConfigurationBinder.GetValue(configuration, "Mqtt:Mode", BrokerMode.Embedded) == BrokerMode.External;

    public static IEndpointRouteBuilder MapBroker(this IEndpointRouteBuilder app)
    {
        if (IsExternal(app.ServiceProvider.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()))
        {
            // Agents connect to the external broker; there is no MQTT endpoint here.
            return app;
        }

        // MQTT authenticates at CONNECT, not by HTTP headers.
        app.MapConnectionHandler<MqttConnectionHandler>(WebSocketPath, o => o.WebSockets.SubProtocolSelector = MqttSubProtocolSelector.SelectSubProtocol)
            .AllowAnonymous();
        return app;
    }

    static void ConfigureServer(MqttServerOptionsBuilder server, BrokerOptions options)
    {
        var bind = string.IsNullOrWhiteSpace(options.BindAddress) ? IPAddress.Any : IPAddress.Parse(options.BindAddress);
        server.WithDefaultEndpoint()
            .WithDefaultEndpointPort(options.Port)
            .WithDefaultEndpointBoundIPAddress(bind)
            .WithDefaultEndpointBoundIPV6Address(IPAddress.None)
            .WithPersistentSessions()
            .WithMaxPendingMessagesPerClient(options.MaxPendingMessagesPerClient)
            .WithPendingMessagesOverflowStrategy(MQTTnet.Server.MqttPendingMessagesOverflowStrategy.DropOldestQueuedMessage);

        if (!string.IsNullOrWhiteSpace(options.Tls.CertificatePath))
        {
            server.WithEncryptedEndpoint()
                .WithEncryptedEndpointPort(options.Tls.Port)
                .WithEncryptedEndpointBoundIPAddress(bind)
                .WithEncryptedEndpointBoundIPV6Address(IPAddress.None)
                .WithEncryptionCertificate(LoadCertificate(options.Tls));
        }
    }

    static X509Certificate2 LoadCertificate(BrokerOptions.TlsOptions tls)
    {
        if (!string.IsNullOrWhiteSpace(tls.KeyPath))
        {
            // A PEM pair is re-imported as PKCS#12 so SslStream can use the private key on every platform.
            using var pem = X509Certificate2.CreateFromPemFile(tls.CertificatePath!, tls.KeyPath);
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }

        return X509CertificateLoader.LoadPkcs12FromFile(tls.CertificatePath!, tls.CertificatePassword);
    }
}

/// <summary>
/// Hooks the gate and the bridge into the server before it starts, announces each start on the
/// bus, and stops MQTT when the application stops (otherwise Kestrel waits on MQTT connections).
/// </summary>
sealed class BrokerLifecycle(
    MqttServer server, AgentConnectionGate gate, AgentBridge bridge, IBus bus, IHostApplicationLifetime lifetime,
    IOptions<BrokerOptions> options, TimeProvider clock, ILogger<BrokerLifecycle> logger) : IHostedService
{
    readonly string brokerId = BuildingBlocks.Ids.New();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        server.ValidatingConnectionAsync += gate.ValidateAsync;
        server.InterceptingPublishAsync += bridge.InterceptPublishAsync;
        server.InterceptingSubscriptionAsync += bridge.InterceptSubscriptionAsync;
        server.ClientDisconnectedAsync += bridge.ClientDisconnectedAsync;
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
