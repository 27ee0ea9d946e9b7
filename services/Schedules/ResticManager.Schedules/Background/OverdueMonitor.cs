using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ResticManager.BuildingBlocks;

namespace ResticManager.Schedules;

/// <summary>Re-judges every scheduled or overdue group each <c>Schedules:OverdueCheckInterval</c>.</summary>
sealed class OverdueMonitor(IServiceScopeFactory scopes, IOptions<SchedulesOptions> options, TimeProvider clock, ILogger<OverdueMonitor> logger)
    : PeriodicWork(scopes, clock, logger)
{
    protected override TimeSpan Interval => options.Value.OverdueCheckInterval;

    protected override async Task RunOnceAsync(IServiceProvider services, CancellationToken ct)
    {
        var db = services.GetRequiredService<SchedulesDbContext>();
        var groups = await db.SourceGroups
            .Where(g => g.OverdueSince != null || db.ScheduleSourceGroups.Any(l => l.SourceGroupId == g.Id && db.Schedules.Any(s => s.Id == l.ScheduleId && s.Enabled)))
            .ToListAsync(ct);
        await services.GetRequiredService<OverdueTracker>().RefreshAsync(db, groups, ct);
    }
}
