using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;

namespace ResticManager.Notifications;

/// <summary>
/// Asks the inventory and the schedules service, once per start, to publish every host's labels and state and
/// every group's name again (<see cref="RepublishHostFacts"/>): the engine's copies are fed only by change
/// events, so on an install that upgrades to this service, or after events it missed, hosts and groups that
/// changed before would stay unknown (a <c>label:</c> rule never firing, groups named by id). At every start
/// rather than only when the copy is empty: one message, and the answers (one or two per host and group,
/// applied only when newer) are cheap, while a copy that is filled but behind cannot be told from one that is current.
/// </summary>
public sealed class HostFactsCatchUp(IBus bus, IHostApplicationLifetime lifetime, TimeProvider clock, ILogger<HostFactsCatchUp> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The bus is started by a hosted service registered after this one: publish once the host is up.
        if (!await lifetime.WaitForStartAsync(stoppingToken))
        {
            return;
        }

        for (var failures = 0; !stoppingToken.IsCancellationRequested; failures++)
        {
            try
            {
                await bus.Publish(new RepublishHostFacts("notifications", clock.GetUtcNow()), stoppingToken);
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                if (failures == 0)
                {
                    logger.LogWarning(ex, "Cannot ask for the hosts' labels and states yet; retrying until the bus takes it");
                }

                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, 1 << Math.Min(failures, 5))), clock, stoppingToken);
            }
        }
    }
}
