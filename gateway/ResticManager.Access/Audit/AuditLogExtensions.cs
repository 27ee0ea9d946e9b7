using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Access;

public static class AuditLogExtensions
{
    /// <summary>The audit log's store: the consumer of every process's <see cref="Contracts.OperatorActed"/> and its retention.</summary>
    public static IHostApplicationBuilder AddAuditLog(this IHostApplicationBuilder builder)
    {
        // Checked at start: a zero or negative retention would empty the log at the first round.
        if (builder.Configuration.GetValue(AuditRetention.Setting, AuditRetention.Default) <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{AuditRetention.Setting} must be a positive TimeSpan, such as 400.00:00:00.");
        }

        builder.Services.AddSingleton<AuditRetention>();
        builder.Services.AddHostedService(services => services.GetRequiredService<AuditRetention>());
        builder.Services.AddBusRegistration(x => x.AddConsumer<OperatorActedConsumer, RetryingConsumerDefinition<OperatorActedConsumer>>());
        return builder;
    }
}
