using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ResticManager.ServiceDefaults;

/// <summary>
/// Forgets inbox rows older than <c>Inbox:Retention</c> (default 30 days): an agent's outbox replays
/// far sooner than that, and the table would otherwise grow by a row per log batch forever.
/// </summary>
public sealed class InboxCleanup<TContext>(IServiceScopeFactory scopes, IConfiguration configuration, TimeProvider clock, ILogger<InboxCleanup<TContext>> logger)
    : BackgroundService where TContext : DbContext
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retention = configuration.GetValue("Inbox:Retention", TimeSpan.FromDays(30));
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), clock);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var cutoff = clock.GetUtcNow().UtcDateTime - retention;
                var removed = await scope.ServiceProvider.GetRequiredService<TContext>().Set<ProcessedEvent>()
                    .Where(p => p.ProcessedAt < cutoff).ExecuteDeleteAsync(stoppingToken);
                if (removed > 0)
                {
                    logger.LogInformation("Forgot {Count} inbox entries older than {Retention}", removed, retention);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Inbox cleanup failed; retrying in an hour");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
