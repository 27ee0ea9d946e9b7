using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ResticManager.BuildingBlocks;

/// <summary>
/// A background loop that does one round of work per interval, each in a fresh DI scope. A failing
/// round is logged and the next tick tries again: a database blip must not end the loop for good.
/// </summary>
public abstract class PeriodicWork(IServiceScopeFactory scopes, TimeProvider clock, ILogger logger) : BackgroundService
{
    protected TimeProvider Clock => clock;

    protected ILogger Logger => logger;

    protected abstract TimeSpan Interval { get; }

    /// <summary>Whether the first round runs at start rather than one interval later.</summary>
    protected virtual bool RunsAtStart => false;

    protected abstract Task RunOnceAsync(IServiceProvider services, CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        if (RunsAtStart)
        {
            await RoundAsync(stoppingToken);
        }

        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await RoundAsync(stoppingToken);
        }
    }

    async Task RoundAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await RunOnceAsync(scope.ServiceProvider, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "{Work} failed; retrying at the next tick", GetType().Name);
        }
    }
}
