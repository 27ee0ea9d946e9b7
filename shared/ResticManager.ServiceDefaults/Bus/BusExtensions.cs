using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ResticManager.ServiceDefaults;

/// <summary>
/// The bus is chosen by <c>Bus:Transport</c>: <c>InMemory</c> (the embedded default) or <c>RabbitMq</c>
/// (<c>Bus:RabbitMq:Host</c>, <c>:VirtualHost</c>, <c>:Username</c>, <c>:Password</c>). Services add
/// their consumers with <see cref="AddBusRegistration"/>; the host calls <see cref="AddBus"/> once,
/// after every service, because MassTransit must be configured in a single call.
/// </summary>
public static class BusExtensions
{
    public static IServiceCollection AddBusRegistration(this IServiceCollection services, Action<IBusRegistrationConfigurator> configure) =>
        services.AddSingleton(new BusRegistration(configure));

    /// <summary>
    /// The consumers and request clients the services of this process registered, with queue names
    /// prefixed by service. Retry and concurrency are each consumer's own, in its definition
    /// (<c>RetryingConsumerDefinition</c> unless it needs another). Tests call it on MassTransit's test harness.
    /// </summary>
    public static void AddServiceConsumers(this IBusRegistrationConfigurator bus, IServiceCollection services)
    {
        bus.SetEndpointNameFormatter(new ServiceEndpointNameFormatter());
        foreach (var descriptor in services.Where(d => d.ServiceType == typeof(BusRegistration) && d.ImplementationInstance is BusRegistration).ToList())
        {
            ((BusRegistration)descriptor.ImplementationInstance!).Configure(bus);
        }
    }

    public static IHostApplicationBuilder AddBus(this IHostApplicationBuilder builder)
    {
        var transport = builder.Configuration.GetEnum("Bus:Transport", BusTransport.InMemory);
        var port = builder.Configuration.GetValue<ushort>("Bus:RabbitMq:Port", 5672);
        var rabbit = builder.Configuration.GetSection("Bus:RabbitMq");

        // The bus is up, its queues declared and bound, before anything else of the host starts: a message
        // published by a hosted service at start (the outbox, the broker's BrokerStarted) must find its queues.
        builder.Services.AddOptions<MassTransitHostOptions>().Configure(o => o.WaitUntilStarted = true);
        builder.Services.AddMassTransit(x =>
        {
            // A self-hosted backup server calls no third party its operator did not configure
            // (MassTransit would report usage to usage-tracking.masstransit.io).
            x.DisableUsageTelemetry();
            x.AddServiceConsumers(builder.Services);

            switch (transport)
            {
                case BusTransport.InMemory:
                    x.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
                    break;
                case BusTransport.RabbitMq:
                    x.AddConfigureEndpointsCallback((_, _, cfg) =>
                    {
                        if (cfg is IRabbitMqReceiveEndpointConfigurator rabbitEndpoint)
                        {
                            rabbitEndpoint.SetQuorumQueue();
                        }
                    });
                    x.UsingRabbitMq((context, cfg) =>
                    {
                        cfg.Host(rabbit["Host"] ?? "localhost", port, rabbit["VirtualHost"] ?? "/", h =>
                        {
                            h.Username(rabbit["Username"] ?? "guest");
                            h.Password(rabbit["Password"] ?? "guest");
                        });
                        cfg.ConfigureEndpoints(context);
                    });
                    break;
            }
        });
        return builder;
    }
}
