using MassTransit;
using Microsoft.EntityFrameworkCore;
using ResticManager.Contracts;
using ResticManager.Protocol;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Jobs;

/// <summary>Keeps <see cref="JobHost"/> from inventory and presence events, and moves each host's queue.</summary>
public sealed class JobHostConsumers(JobsDbContext db, JobDispatcher dispatcher, JobEvents events, TimeProvider clock)
    : IConsumer<HostEnrolled>, IConsumer<HostRevoked>, IConsumer<HostRepositoryChanged>, IConsumer<AgentPresenceChanged>, IConsumer<AgentHelloReceived>
{
    public async Task Consume(ConsumeContext<HostEnrolled> context) =>
        await EnsureHostAsync(context.Message.AgentId, context.CancellationToken);

    public async Task Consume(ConsumeContext<HostRevoked> context)
    {
        var id = context.Message.AgentId;
        await EnsureHostAsync(id, context.CancellationToken);
        await db.Hosts.Where(h => h.Id == id).ExecuteUpdateAsync(s => s.SetProperty(h => h.Revoked, true).SetProperty(h => h.Online, false), context.CancellationToken);
        var queued = await db.Jobs.Where(j => j.HostId == id && j.Status == JobStatus.Queued).ToListAsync(context.CancellationToken);
        foreach (var job in queued)
        {
            job.Status = JobStatus.Cancelled;
            job.Error = "the host was revoked";
            job.FinishedAt = clock.GetUtcNow().UtcDateTime;
        }

        await db.SaveChangesAsync(context.CancellationToken);
        foreach (var job in queued)
        {
            await events.StateChangedAsync(job, context.CancellationToken);
        }
    }

    public async Task Consume(ConsumeContext<HostRepositoryChanged> context)
    {
        var message = context.Message;
        await EnsureHostAsync(message.AgentId, context.CancellationToken);
        long? version = message.Bound ? message.Version : null;
        await db.Hosts.Where(h => h.Id == message.AgentId && h.RepositoryChangeVersion < message.Version)
            .ExecuteUpdateAsync(s => s.SetProperty(h => h.RepositoryVersion, version).SetProperty(h => h.RepositoryChangeVersion, message.Version), context.CancellationToken);
        await AfterHostChangedAsync(message.AgentId, context.CancellationToken);
    }

    public Task Consume(ConsumeContext<AgentPresenceChanged> context) =>
        ApplyPresenceAsync(context.Message.AgentId, context.Message.Online, context.Message.ConnectionSeq, context.CancellationToken);

    public Task Consume(ConsumeContext<AgentHelloReceived> context) =>
        ApplyPresenceAsync(context.Message.AgentId, true, context.Message.ConnectionSeq, context.CancellationToken);

    async Task ApplyPresenceAsync(string hostId, bool online, long connectionSeq, CancellationToken ct)
    {
        await EnsureHostAsync(hostId, ct);
        // Same ordering rule as the inventory: seq × 2 while up, + 1 once down; only newer applies.
        var version = connectionSeq * 2 + (online ? 0 : 1);
        var now = clock.GetUtcNow().UtcDateTime;
        var newer = db.Hosts.Where(h => h.Id == hostId && h.PresenceVersion < version);
        if (online)
        {
            await newer.ExecuteUpdateAsync(s => s.SetProperty(h => h.Online, true).SetProperty(h => h.PresenceVersion, version).SetProperty(h => h.OfflineSince, (DateTime?)null), ct);
            await AfterHostChangedAsync(hostId, ct);
        }
        else
        {
            await newer.ExecuteUpdateAsync(s => s.SetProperty(h => h.Online, false).SetProperty(h => h.PresenceVersion, version).SetProperty(h => h.OfflineSince, now), ct);
        }
    }

    async Task AfterHostChangedAsync(string hostId, CancellationToken ct)
    {
        await EnsureRepositoryInitializedAsync(hostId, ct);
        await dispatcher.DispatchAsync(hostId, ct);
    }

    /// <summary>A newly bound repository gets one <c>init</c> job ("already exists" counts as success on the agent).</summary>
    async Task EnsureRepositoryInitializedAsync(string hostId, CancellationToken ct)
    {
        var host = await db.Hosts.AsNoTracking().FirstOrDefaultAsync(h => h.Id == hostId, ct);
        if (host is not { Online: true, Revoked: false, RepositoryVersion: { } version } || host.InitializedVersion >= version || host.InitRequestedVersion >= version)
        {
            return;
        }

        var claimed = await db.Hosts.Where(h => h.Id == hostId && h.InitRequestedVersion < version)
            .ExecuteUpdateAsync(s => s.SetProperty(h => h.InitRequestedVersion, version), ct);
        if (claimed == 1)
        {
            var job = JobFactory.Create(hostId, JobKind.Init, new JobRequest(null, null, null, null, null), null, "system", clock);
            db.Jobs.Add(job);
            await db.SaveChangesAsync(ct);
            await events.StateChangedAsync(job, ct);
        }
    }

    Task EnsureHostAsync(string hostId, CancellationToken ct) =>
        db.AddIfMissingAsync<JobHost>(h => h.Id == hostId, () => new JobHost { Id = hostId }, ct);
}

public static class JobFactory
{
    public static Job Create(
        string hostId, JobKind kind, JobRequest request, int? timeoutSeconds, string? createdBy, TimeProvider clock,
        string? scheduleId = null, string? sourceGroupId = null, string? requestId = null) => new()
    {
        Id = Ids.New(clock),
        HostId = hostId,
        Kind = kind,
        Status = JobStatus.Queued,
        RequestJson = Serialize(request),
        TimeoutSeconds = timeoutSeconds,
        CreatedBy = createdBy,
        ScheduleId = scheduleId,
        SourceGroupId = sourceGroupId,
        RequestId = requestId,
        CreatedAt = clock.GetUtcNow().UtcDateTime,
    };

    /// <summary>How a job's request is stored (and compared when a coalesced run takes a newer one).</summary>
    public static string Serialize(JobRequest request) => System.Text.Json.JsonSerializer.Serialize(request, WireJson.Options);
}
