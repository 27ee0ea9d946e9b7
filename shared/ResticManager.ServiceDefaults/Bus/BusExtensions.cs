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
        var transport = builder.Configuration.GetEnum("Bus:Transport", BusTransport.InMemory);
        var port = builder.Configuration.GetValue<ushort>("Bus:RabbitMq:Port", 5672);
        var rabbit = builder.Configuration.GetSection("Bus:RabbitMq");

        builder.Services.AddMassTransit(x =>
        {
            x.SetKebabCaseEndpointNameFormatter();
            // A self-hosted backup server calls no third party its operator did not configure
            // (MassTransit would report usage to usage-tracking.masstransit.io).
            x.DisableUsageTelemetry();
            // Consumers are idempotent; transient failures (a busy SQLite file, a lost race) are retried
            // in place, and what still fails lands in the endpoint's _error queue.
            x.AddConfigureEndpointsCallback((_, _, cfg) => cfg.UseMessageRetry(r => r.Intervals(100, 500, 1000, 2000, 5000)));
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
