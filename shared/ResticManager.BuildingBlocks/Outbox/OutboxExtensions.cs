using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace ResticManager.BuildingBlocks;

public static class OutboxExtensions
{
    /// <summary>
    /// Publishes <typeparamref name="TContext"/>'s outbox in the background. The context must map it
    /// (<see cref="Outbox.AddOutbox"/>) and be registered with the <see cref="OutboxCommitInterceptor"/>,
    /// which the service database registration adds to every context.
    /// </summary>
    public static IHostApplicationBuilder AddOutbox<TContext>(this IHostApplicationBuilder builder) where TContext : DbContext
    {
        builder.Services.TryAddSingleton<OutboxSignal>();
        builder.Services.TryAddSingleton<OutboxCommitInterceptor>();
        builder.Services.TryAddSingleton<OutboxMetrics>();
        builder.Services.AddOptions<OutboxOptions>().Bind(builder.Configuration.GetSection("Outbox"))
            .Validate(o => o.PollInterval > TimeSpan.Zero, "Outbox:PollInterval must be positive")
            .Validate(o => o.BatchSize is > 0 and <= 1000, "Outbox:BatchSize must be between 1 and 1000")
            .ValidateOnStart();
        builder.Services.AddHostedService<OutboxDispatcher<TContext>>();
        return builder;
    }
}
