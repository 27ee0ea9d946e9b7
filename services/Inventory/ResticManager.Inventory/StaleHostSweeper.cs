using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

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
