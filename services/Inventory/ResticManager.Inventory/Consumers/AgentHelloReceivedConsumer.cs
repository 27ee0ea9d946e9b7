using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using ResticManager.Contracts;
using ResticManager.BuildingBlocks;

namespace ResticManager.Inventory;

/// <summary>
/// Records what the agent says about itself, marks it online, and sends it its configuration: the
/// config is never retained on the broker, so every new connection gets it again. The hostname the
/// agent reports is not taken over: the enrolled one is what jobs pass to restic as <c>--host</c>
/// (enrollment keeps it unique among live hosts), so a renamed machine, or an agent claiming another
/// host's name, cannot make it list and forget that host's snapshots.
/// </summary>
public sealed class AgentHelloReceivedConsumer(InventoryDbContext db, SecretProtector protector, ILogger<AgentHelloReceivedConsumer> logger) : IConsumer<AgentHelloReceived>
{
    public async Task Consume(ConsumeContext<AgentHelloReceived> context)
    {
        var hello = context.Message;
        var version = PresenceVersion.Online(hello.ConnectionSeq);
        var interval = Math.Clamp(hello.HeartbeatIntervalSeconds, 1, 3600);
        // The status message of this connection may have been applied first, with the interval known then.
        var staleAfter = hello.ReceivedAt.UtcDateTime.AddSeconds(3 * interval);
        await db.Hosts
            .Where(h => h.Id == hello.AgentId && h.Status != HostStatus.Revoked && h.PresenceVersion <= version)
            .ExecuteUpdateAsync(s => s
                .SetProperty(h => h.Os, hello.Os)
                .SetProperty(h => h.Arch, hello.Arch)
                .SetProperty(h => h.AgentVersion, hello.AgentVersion)
                .SetProperty(h => h.ResticVersion, hello.ResticVersion)
                .SetProperty(h => h.ProtocolVersion, hello.ProtocolVersion)
                .SetProperty(h => h.HeartbeatIntervalSeconds, interval)
                .SetProperty(h => h.StaleAfter, h => h.Status == HostStatus.Offline ? h.StaleAfter : staleAfter), context.CancellationToken);
        var enrolledHostname = await db.Hosts.AsNoTracking().Where(h => h.Id == hello.AgentId).Select(h => h.Hostname).FirstOrDefaultAsync(context.CancellationToken);
        if (enrolledHostname is not null && !string.Equals(enrolledHostname, hello.Hostname, StringComparison.OrdinalIgnoreCase))
        {
            logger.LogWarning(
                "Agent {AgentId} reports hostname {ReportedHostname} but is enrolled as {EnrolledHostname}; the enrolled name stays (re-enroll to rename)",
                hello.AgentId, hello.Hostname, enrolledHostname);
        }

        await Presence.MarkOnlineAsync(db, hello.AgentId, hello.ConnectionSeq, hello.ReceivedAt.UtcDateTime, interval, context.CancellationToken);

        if (await AgentConfigCommands.CurrentAsync(db, hello.AgentId, protector, context.CancellationToken) is { } config)
        {
            await context.Publish(config, context.CancellationToken);
        }
    }
}
