using System.Net;
using System.Security.Cryptography.X509Certificates;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MQTTnet.AspNetCore;
using MQTTnet.Server;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;
using ResticManager.Protocol;
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
        builder.Services.AddOptions<BrokerOptions>()
            .Bind(builder.Configuration.GetSection(BrokerOptions.Section))
            .Validate(o => o.Port is > 0 and <= 65535, "Mqtt:Port must be between 1 and 65535")
            .Validate(o => o.Tls.Port is > 0 and <= 65535, "Mqtt:Tls:Port must be between 1 and 65535")
            .Validate(o => string.IsNullOrWhiteSpace(o.BindAddress) || IPAddress.TryParse(o.BindAddress, out _), "Mqtt:BindAddress must be an IP address")
            .Validate(o => string.IsNullOrWhiteSpace(o.Tls.CertificatePath) || File.Exists(o.Tls.CertificatePath), "Mqtt:Tls:CertificatePath must name an existing file")
            .Validate(o => string.IsNullOrWhiteSpace(o.Tls.KeyPath) || File.Exists(o.Tls.KeyPath), "Mqtt:Tls:KeyPath must name an existing file")
            .Validate(o => o.MaxPendingMessagesPerClient > 0, "Mqtt:MaxPendingMessagesPerClient must be positive")
            .Validate(o => o.AuthenticationTimeout > TimeSpan.Zero, "Mqtt:AuthenticationTimeout must be positive")
            .Validate(o => o.AgentMessagesPerSecond > 0, "Mqtt:AgentMessagesPerSecond must be positive")
            .Validate(o => o.AgentMessageBurst >= 1, "Mqtt:AgentMessageBurst must be at least 1")
            .Validate(o => o.AgentRepliesPerSecond > 0, "Mqtt:AgentRepliesPerSecond must be positive")
            .Validate(o => o.AgentReplyBurst >= 1, "Mqtt:AgentReplyBurst must be at least 1")
            .Validate(o => o.AgentFloodThreshold >= 1, "Mqtt:AgentFloodThreshold must be at least 1")
            .Validate(o => o.External.MaxInFlight >= 1, "Mqtt:External:MaxInFlight must be at least 1")
            .Validate(o => o.Mode != BrokerMode.External || BrokerUrls.IsValid(o.External.Url),
                "Mqtt:External:Url must be an absolute mqtt://, mqtts://, ws:// or wss:// URL when Mqtt:Mode is External")
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<BrokerOptions>>(new FleetStreamAccessValidation(builder.Configuration));
        builder.Services.AddSingleton<FleetStreamAccess>();
        builder.Services.AddSingleton<ConnectionRegistry>();
        builder.Services.AddSingleton<BrokerMetrics>();
        builder.Services.AddSingleton<BridgeBacklog>();
        builder.Services.AddSingleton<AckLatency>();
        builder.Services.AddSingleton<AgentRateLimiter>();
        builder.Services.AddSingleton<AgentBridge>();
        builder.Services.AddBusRegistration(x =>
        {
            x.AddConsumer<HostRevokedConsumer, RetryingConsumerDefinition<HostRevokedConsumer>>();
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
        builder.Services.AddSingleton<AgentRateLimitHook>();
        builder.Services.AddSingleton<AgentSessions>();
        builder.Services.AddSingleton<DisconnectReasons>();
        // One instance per process: in the embedded server the requester of agent queries shares it.
        builder.Services.TryAddSingleton<ServiceMqttCredentials>();
        builder.Services.AddSingleton<IAgentChannel, EmbeddedAgentChannel>();
        builder.Services.AddHostedMqttServerWithServices(o => ConfigureServer(o, o.ServiceProvider.GetRequiredService<IOptions<BrokerOptions>>().Value));
        builder.Services.AddConnections();
        builder.Services.AddMqttConnectionHandler();
        builder.Services.AddMqttTcpServerAdapter();
        builder.Services.AddHostedService<BrokerLifecycle>();
        return builder;
    }

    static bool IsExternal(Microsoft.Extensions.Configuration.IConfiguration configuration) =>
        configuration.GetEnum("Mqtt:Mode", BrokerMode.Embedded) == BrokerMode.External;

    public static IEndpointRouteBuilder MapBroker(this IEndpointRouteBuilder app)
    {
        if (IsExternal(app.ServiceProvider.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()))
        {
            // Agents connect to the external broker; there is no MQTT endpoint here.
            return app;
        }

        // MQTT authenticates at CONNECT, not by HTTP headers. WebSockets only: long polling and server-sent
        // events would keep unauthenticated connections (and their buffers) open before any CONNECT arrives.
        app.MapConnectionHandler<MqttConnectionHandler>(WebSocketPath, o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.WebSockets.SubProtocolSelector = MqttSubProtocolSelector.SelectSubProtocol;
            })
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

    static X509Certificate2 LoadCertificate(TlsOptions tls)
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
