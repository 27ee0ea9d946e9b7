using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ResticManager.BuildingBlocks;

namespace ResticManager.Inventory;

/// <summary>Marks online hosts stale when three heartbeat intervals pass without one.</summary>
sealed class StaleHostSweeper(IServiceScopeFactory scopes, IOptions<InventoryOptions> options, TimeProvider clock, ILogger<StaleHostSweeper> logger)
    : PeriodicWork(scopes, clock, logger)
{
    protected override TimeSpan Interval => options.Value.StaleCheckInterval;

    protected override async Task RunOnceAsync(IServiceProvider services, CancellationToken ct)
    {
        var count = await Presence.MarkStaleAsync(services.GetRequiredService<InventoryDbContext>(), Clock.GetUtcNow().UtcDateTime, ct);
        if (count > 0)
        {
            Logger.LogInformation("{Count} host(s) became stale: heartbeats stopped", count);
        }
    }
}
