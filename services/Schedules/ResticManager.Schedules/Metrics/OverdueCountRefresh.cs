using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ResticManager.ServiceDefaults;

namespace ResticManager.Schedules;

/// <summary>Counts the overdue groups (as the overdue monitor last marked them) for <see cref="SchedulesMetrics"/>.</summary>
public sealed class OverdueCountRefresh(SchedulesMetrics metrics, IServiceScopeFactory scopes, TimeProvider clock, IConfiguration configuration, ILogger<OverdueCountRefresh> logger)
    : GaugeRefresh(scopes, clock, configuration, logger)
{
    protected override async Task RunOnceAsync(IServiceProvider services, CancellationToken ct) =>
        metrics.SetOverdue(await services.GetRequiredService<SchedulesDbContext>().SourceGroups.AsNoTracking().CountAsync(g => g.OverdueSince != null, ct));
}
