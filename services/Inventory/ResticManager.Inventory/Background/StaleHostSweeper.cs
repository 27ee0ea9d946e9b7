using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ResticManager.BuildingBlocks;

namespace ResticManager.Inventory;

/// <summary>
/// Marks online hosts stale when three heartbeat intervals pass without one, counting only deadlines that
/// passed before the heartbeat intake's cutoff (<see cref="HeartbeatIntake"/>, ADR 0015): a host whose
/// heartbeats wait in the server's own queue is behind the server, not stale. While the bus cannot deliver
/// at all (RabbitMQ unreachable), heartbeats may pile up unseen, so no host is marked stale then.
/// </summary>
sealed class StaleHostSweeper(
    IServiceScopeFactory scopes, IOptions<InventoryOptions> options, HeartbeatIntake intake, TimeProvider clock, ILogger<StaleHostSweeper> logger)
    : PeriodicWork(scopes, clock, logger)
{
    /// <summary>Intake this far behind is worth a warning: hosts go stale that late.</summary>
    static readonly TimeSpan NotableLag = TimeSpan.FromSeconds(10);

    static readonly TimeSpan WarningInterval = TimeSpan.FromMinutes(1);

    DateTimeOffset lastWarning = DateTimeOffset.MinValue;

    protected override TimeSpan Interval => options.Value.StaleCheckInterval;

    protected override async Task RunOnceAsync(IServiceProvider services, CancellationToken ct)
    {
        var now = Clock.GetUtcNow();
        if (services.GetService<IBusControl>() is { } bus && bus.CheckHealth().Status == BusHealthStatus.Unhealthy)
        {
            Warn(now, "Stale check skipped: the bus is unhealthy, so heartbeats may be waiting unread");
            return;
        }

        var cutoff = intake.StaleCutoff();
        if (now - cutoff > NotableLag)
        {
            Warn(now, $"Heartbeat intake is {(now - cutoff).TotalSeconds:0} s behind: hosts are marked stale that much later");
        }

        var count = await Presence.MarkStaleAsync(services.GetRequiredService<InventoryDbContext>(), cutoff.UtcDateTime, ct);
        if (count > 0)
        {
            Logger.LogInformation("{Count} host(s) became stale: heartbeats stopped", count);
        }
    }

    void Warn(DateTimeOffset now, string message)
    {
        if (now - lastWarning >= WarningInterval)
        {
            lastWarning = now;
            Logger.LogWarning("{Message}", message);
        }
    }
}
