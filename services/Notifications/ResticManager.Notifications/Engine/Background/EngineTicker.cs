using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ResticManager.Notifications;

/// <summary>
/// The engine's timed work, from durable rows (so a restart in between changes nothing): held-back host alerts
/// whose <c>minDuration</c> has passed become alerts, and digest windows that have closed become one message
/// per channel.
/// </summary>
public sealed class EngineTicker(IServiceScopeFactory scopes, IOptions<NotificationsOptions> options, ILogger<EngineTicker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.EngineInterval);
        do
        {
            try
            {
                await RunDueAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Notification engine round failed; retrying at the next tick");
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Fires every held alert and closes every digest window due at the clock's now.</summary>
    public async Task RunDueAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var work = scope.ServiceProvider.GetRequiredService<EngineWork>();
        await work.RunAsync("engine", null, async _ =>
        {
            await work.Rules.FireHeldAsync(ct);
            await work.Rules.CloseDigestsAsync(ct);
        }, ct);
    }
}
