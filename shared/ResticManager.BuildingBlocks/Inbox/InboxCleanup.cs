using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ResticManager.BuildingBlocks;

/// <summary>
/// Forgets inbox rows older than <c>Inbox:Retention</c> (default 30 days): an agent's outbox replays
/// far sooner than that, and the table would otherwise grow by a row per log batch forever.
/// </summary>
public sealed class InboxCleanup<TContext>(IServiceScopeFactory scopes, IConfiguration configuration, TimeProvider clock, ILogger<InboxCleanup<TContext>> logger)
    : PeriodicWork(scopes, clock, logger) where TContext : DbContext
{
    readonly TimeSpan retention = configuration.GetValue("Inbox:Retention", TimeSpan.FromDays(30));

    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    protected override bool RunsAtStart => true;

    protected override async Task RunOnceAsync(IServiceProvider services, CancellationToken ct)
    {
        var cutoff = Clock.GetUtcNow().UtcDateTime - retention;
        var removed = await services.GetRequiredService<TContext>().Set<ProcessedEvent>().Where(p => p.ProcessedAt < cutoff).ExecuteDeleteAsync(ct);
        if (removed > 0)
        {
            Logger.LogInformation("Forgot {Count} inbox entries older than {Retention}", removed, retention);
        }
    }
}
