using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ResticManager.ServiceDefaults;

namespace ResticManager.Snapshots;

/// <summary>Reads the reported repository sizes for <see cref="SnapshotsMetrics"/>.</summary>
public sealed class RepositorySizeRefresh(SnapshotsMetrics metrics, IServiceScopeFactory scopes, TimeProvider clock, IConfiguration configuration, ILogger<RepositorySizeRefresh> logger)
    : GaugeRefresh(scopes, clock, configuration, logger)
{
    protected override async Task RunOnceAsync(IServiceProvider services, CancellationToken ct)
    {
        var sizes = await services.GetRequiredService<SnapshotsDbContext>().Catalogs.AsNoTracking()
            .Where(c => c.TotalSizeBytes != null).Select(c => new { c.HostId, Bytes = c.TotalSizeBytes!.Value }).ToListAsync(ct);
        metrics.SetSizes(sizes.Select(s => (s.HostId, s.Bytes)));
    }
}
