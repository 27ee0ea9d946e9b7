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

    public static IHostApplicationBuilder AddBus(this IHostApplicationBuilder builder)
    {
        var registrations = builder.Services
            .Where(d => d.ServiceType == typeof(BusRegistration) && d.ImplementationInstance is BusRegistration)
            .Select(d => (BusRegistration)d.ImplementationInstance!)
            .ToList();
        var transport = builder.Configuration.GetValue("Bus:Transport", BusTransport.InMemory);
        var rabbit = builder.Configuration.GetSection("Bus:RabbitMq");

        builder.Services.AddMassTransit(x =>
        {
            x.SetEndpointNameFormatter(new ServiceEndpointNameFormatter());
            // Retry and concurrency are each consumer's own, in its definition (RetryingConsumerDefinition by default).
            foreach (var registration in registrations)
            {
                registration.Configure(x);
            }

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
                        cfg.Host(rabbit["Host"] ?? "localhost", ushort.Parse(rabbit["Port"] ?? "5672", System.Globalization.CultureInfo.InvariantCulture), rabbit["VirtualHost"] ?? "/", h =>
                        {
                            h.Username(rabbit["Username"] ?? "guest");
                            h.Password(rabbit["Password"] ?? "guest");
                        });
                        cfg.ConfigureEndpoints(context);
                    });
                    break;
                default:
                    throw new InvalidOperationException($"Bus:Transport '{transport}' is not supported; use InMemory or RabbitMq.");
            }
        });
        return builder;
    }
}
