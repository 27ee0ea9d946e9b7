using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ResticManager.BuildingBlocks;

namespace ResticManager.Access;

/// <summary>
/// Forgets audit entries older than <c>Audit:Retention</c>, a TimeSpan like every other retention setting
/// (<c>400.00:00:00</c>, the default: a year and a bit, so a yearly review still finds last year's month).
/// </summary>
public sealed class AuditRetention(IServiceScopeFactory scopes, IConfiguration configuration, TimeProvider clock, ILogger<AuditRetention> logger)
    : PeriodicWork(scopes, clock, logger)
{
    public const string Setting = "Audit:Retention";
    public static readonly TimeSpan Default = TimeSpan.FromDays(400);

    public TimeSpan Retention { get; } = configuration.GetValue(Setting, Default);

    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    protected override bool RunsAtStart => true;

    protected override Task RunOnceAsync(IServiceProvider services, CancellationToken ct) =>
        PruneAsync(services.GetRequiredService<AccessDbContext>(), ct);

    /// <summary>Removes the entries older than the retention; how many it removed.</summary>
    public async Task<int> PruneAsync(AccessDbContext db, CancellationToken ct)
    {
        var cutoff = Clock.GetUtcNow().UtcDateTime - Retention;
        var removed = await db.AuditEntries.Where(a => a.At < cutoff).ExecuteDeleteAsync(ct);
        if (removed > 0)
        {
            Logger.LogInformation("Forgot {Count} audit entries older than {Retention}", removed, Retention);
        }

        return removed;
    }
}
