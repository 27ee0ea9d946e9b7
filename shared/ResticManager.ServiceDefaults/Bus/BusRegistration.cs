using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ResticManager.ServiceDefaults;

/// <summary>A service's contribution to the one bus of its process (its consumers and request clients).</summary>
public sealed record BusRegistration(Action<IBusRegistrationConfigurator> Configure);
