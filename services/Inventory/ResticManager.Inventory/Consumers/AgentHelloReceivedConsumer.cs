using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using ResticManager.Contracts;
using ResticManager.BuildingBlocks;
using ResticManager.Protocol;

namespace ResticManager.Inventory;

/// <summary>
/// Records what each agent says about itself, marks it online, and sends it its configuration: the
/// config is never retained on the broker, so every new connection gets it again. A batch at a time (a
/// fleet connecting sends thousands within a minute): one transaction, one read of the hostnames and one of
/// the bindings per batch. Per host only the hello of its newest connection counts; an older one would
/// apply nothing after it and its config would go to a connection that is gone. The hostname the agent
/// reports is not taken over: the enrolled one is what jobs pass to restic as <c>--host</c> (enrollment
/// keeps it unique among live hosts), so a renamed machine, or an agent claiming another host's name,
/// cannot make it list and forget that host's snapshots. A hello that changes how the agent compares with the
/// version this server ships is published as <see cref="AgentVersionAssessed"/>.
/// </summary>
public sealed class AgentHelloReceivedConsumer(InventoryDbContext db, SecretProtector protector, ILogger<AgentHelloReceivedConsumer> logger) : IConsumer<Batch<AgentHelloReceived>>
{
    public async Task Consume(ConsumeContext<Batch<AgentHelloReceived>> context)
    {
        var ct = context.CancellationToken;
        var hellos = context.Message.Select(m => m.Message)
            .GroupBy(h => h.AgentId, StringComparer.Ordinal)
            .Select(g => g.OrderByDescending(h => h.ConnectionSeq).ThenByDescending(h => h.ReceivedAt).First())
            .ToList();
        var ids = hellos.Select(h => h.AgentId).ToList();
        var enrolled = await db.InTransactionAsync(async () =>
        {
            var hostnames = await db.Hosts.AsNoTracking().Where(h => ids.Contains(h.Id)).Select(h => new { h.Id, h.Hostname }).ToDictionaryAsync(h => h.Id, h => h.Hostname, ct);
            foreach (var hello in hellos)
            {
                await AssessAgentVersionAsync(hello, hostnames.GetValueOrDefault(hello.AgentId, hello.Hostname), ct);
                await RecordFactsAsync(hello, ct);
                await Presence.ChangeToOnlineAsync(db, hello.AgentId, hello.ConnectionSeq, hello.ReceivedAt.UtcDateTime, ct);
            }

            return hostnames;
        }, ct);

        foreach (var hello in hellos)
        {
            if (enrolled.TryGetValue(hello.AgentId, out var enrolledHostname) && !string.Equals(enrolledHostname, hello.Hostname, StringComparison.OrdinalIgnoreCase))
            {
                logger.LogWarning(
                    "Agent {AgentId} reports hostname {ReportedHostname} but is enrolled as {EnrolledHostname}; the enrolled name stays (re-enroll to rename)",
                    hello.AgentId, hello.Hostname, enrolledHostname);
            }
        }

        var configs = await AgentConfigCommands.CurrentAsync(db, ids, protector, ct);
        if (configs.Count > 0)
        {
            await context.PublishBatch(configs, ct);
        }
    }

    /// <summary>
    /// Judges the agent's version against the one this server ships and publishes the verdict when it differs
    /// from the last one published or the versions changed: the first hello, an upgrade, a server upgrade that
    /// turns it over. A reconnect with nothing new publishes nothing. Before <see cref="RecordFactsAsync"/>, which
    /// overwrites the versions compared here, and under the same conditions, so a stale hello judges nothing.
    /// </summary>
    async Task AssessAgentVersionAsync(AgentHelloReceived hello, string hostname, CancellationToken ct)
    {
        var version = PresenceVersion.Online(hello.ConnectionSeq);
        var outdated = AgentVersionPolicy.IsOutdated(hello.AgentVersion, hello.ProtocolVersion);
        var changed = await db.Hosts
            .Where(h => h.Id == hello.AgentId && h.Status != HostStatus.Revoked && h.PresenceVersion <= version
                && (h.AgentOutdatedAnnounced != outdated || h.AgentVersion != hello.AgentVersion || h.ProtocolVersion != hello.ProtocolVersion))
            .ExecuteUpdateAsync(s => s.SetProperty(h => h.AgentOutdatedAnnounced, outdated), ct);
        if (changed > 0)
        {
            db.AddToOutbox(new AgentVersionAssessed(hello.AgentId, hello.EventId, hostname, hello.AgentVersion, hello.ProtocolVersion,
                AgentVersionPolicy.Shipped, ProtocolVersion.MaxSupported, outdated, hello.ReceivedAt));
        }
    }

    /// <summary>The agent's facts and heartbeat interval, unless a newer connection's were applied; the status message of this connection may have come first.</summary>
    Task<int> RecordFactsAsync(AgentHelloReceived hello, CancellationToken ct)
    {
        var version = PresenceVersion.Online(hello.ConnectionSeq);
        var interval = Math.Clamp(hello.HeartbeatIntervalSeconds, 1, 3600);
        var staleAfter = hello.ReceivedAt.UtcDateTime.AddSeconds(3 * interval);
        return db.Hosts
            .Where(h => h.Id == hello.AgentId && h.Status != HostStatus.Revoked && h.PresenceVersion <= version)
            .ExecuteUpdateAsync(s => s
                .SetProperty(h => h.Os, hello.Os)
                .SetProperty(h => h.Arch, hello.Arch)
                .SetProperty(h => h.AgentVersion, hello.AgentVersion)
                .SetProperty(h => h.ResticVersion, hello.ResticVersion)
                .SetProperty(h => h.ProtocolVersion, hello.ProtocolVersion)
                .SetProperty(h => h.HeartbeatIntervalSeconds, interval)
                .SetProperty(h => h.StaleAfter, h => h.Status == HostStatus.Offline ? h.StaleAfter : staleAfter), ct);
    }
}
