using MassTransit;
using Microsoft.EntityFrameworkCore;
using ResticManager.Contracts;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Inventory;

/// <summary>Answers the broker at MQTT CONNECT: do these credentials belong to a live host?</summary>
public sealed class AuthenticateAgentConsumer(InventoryDbContext db) : IConsumer<AuthenticateAgent>
{
    public async Task Consume(ConsumeContext<AuthenticateAgent> context)
    {
        var request = context.Message;
        var host = await db.Hosts.AsNoTracking()
            .Where(h => h.Id == request.AgentId)
            .Select(h => new { h.CredentialHash, h.Status })
            .FirstOrDefaultAsync(context.CancellationToken);
        var matches = host is not null && SecretTokens.HashEquals(host.CredentialHash, request.SecretHash);
        var revoked = matches && host!.Status == HostStatus.Revoked;
        await context.RespondAsync(new AgentAuthenticationResult(matches && !revoked, revoked));
    }
}

/// <summary>
/// Records what the agent says about itself, marks it online, and sends it its configuration: the
/// config is never retained on the broker, so every new connection gets it again.
/// </summary>
public sealed class AgentHelloConsumer(InventoryDbContext db, SecretProtector protector) : IConsumer<AgentHelloReceived>
{
    public async Task Consume(ConsumeContext<AgentHelloReceived> context)
    {
        var hello = context.Message;
        var version = Presence.OnlineVersion(hello.ConnectionSeq);
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
        await Presence.MarkOnlineAsync(db, hello.AgentId, hello.ConnectionSeq, hello.ReceivedAt.UtcDateTime, interval, context.CancellationToken);

        var repository = await db.Repositories.AsNoTracking().FirstOrDefaultAsync(r => r.HostId == hello.AgentId, context.CancellationToken);
        var revoked = await db.Hosts.AnyAsync(h => h.Id == hello.AgentId && h.Status == HostStatus.Revoked, context.CancellationToken);
        if (repository is not null && !revoked)
        {
            await context.Publish(RepositoryEndpoints.AgentConfigCommand(hello.AgentId, repository, protector), context.CancellationToken);
        }
    }
}

public sealed class AgentPresenceConsumer(InventoryDbContext db) : IConsumer<AgentPresenceChanged>
{
    public async Task Consume(ConsumeContext<AgentPresenceChanged> context)
    {
        var presence = context.Message;
        if (presence.Online)
        {
            var interval = await db.Hosts.Where(h => h.Id == presence.AgentId).Select(h => h.HeartbeatIntervalSeconds).FirstOrDefaultAsync(context.CancellationToken);
            await Presence.MarkOnlineAsync(db, presence.AgentId, presence.ConnectionSeq, presence.At.UtcDateTime, interval > 0 ? interval : 30, context.CancellationToken);
        }
        else
        {
            await Presence.MarkOfflineAsync(db, presence.AgentId, presence.ConnectionSeq, context.CancellationToken);
        }
    }
}

public sealed class AgentHeartbeatConsumer(InventoryDbContext db) : IConsumer<AgentHeartbeatReceived>
{
    public Task Consume(ConsumeContext<AgentHeartbeatReceived> context) =>
        Presence.RecordHeartbeatAsync(db, context.Message.AgentId, context.Message.ConnectionSeq, context.Message.ReceivedAt.UtcDateTime, context.CancellationToken);
}

public sealed class BrokerStartedConsumer(InventoryDbContext db) : IConsumer<BrokerStarted>
{
    public Task Consume(ConsumeContext<BrokerStarted> context) =>
        Presence.MarkDisconnectedBeforeAsync(db, context.Message.StartedAt.UtcDateTime, context.CancellationToken);
}

public sealed class GetJobTargetConsumer(InventoryDbContext db) : IConsumer<GetJobTarget>
{
    public async Task Consume(ConsumeContext<GetJobTarget> context)
    {
        var id = context.Message.HostId;
        var host = await db.Hosts.AsNoTracking().Where(h => h.Id == id).Select(h => new { h.Status, h.Hostname }).FirstOrDefaultAsync(context.CancellationToken);
        var version = await db.Repositories.AsNoTracking().Where(r => r.HostId == id).Select(r => (long?)r.Version).FirstOrDefaultAsync(context.CancellationToken);
        await context.RespondAsync(new JobTarget(host is not null, host?.Status == HostStatus.Revoked, host?.Hostname, version));
    }
}
