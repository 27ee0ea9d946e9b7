using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ResticManager.ServiceDefaults;

namespace ResticManager.Inventory;

/// <summary>Counts the hosts by status for <see cref="InventoryMetrics"/>.</summary>
public sealed class HostCountRefresh(InventoryMetrics metrics, IServiceScopeFactory scopes, TimeProvider clock, IConfiguration configuration, ILogger<HostCountRefresh> logger)
    : GaugeRefresh(scopes, clock, configuration, logger)
{
    protected override async Task RunOnceAsync(IServiceProvider services, CancellationToken ct) =>
        metrics.SetHosts(await services.GetRequiredService<InventoryDbContext>().Hosts.AsNoTracking()
            .GroupBy(h => h.Status).Select(g => new { Status = g.Key, Count = g.Count() })
            .ToDictionaryAsync(c => c.Status, c => c.Count, ct));
}
