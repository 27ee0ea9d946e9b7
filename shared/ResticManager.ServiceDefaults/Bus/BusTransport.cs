using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ResticManager.ServiceDefaults;

public enum BusTransport
{
    InMemory,
    RabbitMq,
}
