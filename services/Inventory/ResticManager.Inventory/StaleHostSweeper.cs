using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ResticManager.Inventory;

public sealed class InventoryOptions
{
    /// <summary>How often online hosts are checked for missed heartbeats.</summary>
    public TimeSpan StaleCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Lifetime of an enrollment token when the request does not say.</summary>
    public TimeSpan EnrollmentTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The broker URL handed to agents at enrollment; derived from the request and Mqtt:Port when empty.</summary>
    public string? MqttPublicUrl { get; set; }
}

/// <summary>Marks online hosts stale when three heartbeat intervals pass without one.</summary>
sealed class StaleHostSweeper(IServiceScopeFactory scopes, IOptions<InventoryOptions> options, TimeProvider clock, ILogger<StaleHostSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.StaleCheckInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<InventoryDbContext>();
                var count = await Presence.MarkStaleAsync(db, clock.GetUtcNow().UtcDateTime, stoppingToken);
                if (count > 0)
                {
                    logger.LogInformation("{Count} host(s) became stale: heartbeats stopped", count);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Stale host check failed; retrying at the next tick");
            }
        }
    }
}
