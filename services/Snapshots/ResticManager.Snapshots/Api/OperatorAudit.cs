using System.Security.Claims;
using MassTransit;
using Microsoft.Extensions.Logging;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;

namespace ResticManager.Snapshots;

/// <summary>Publishes what an operator looked at or took out of a snapshot, for the audit log.</summary>
public sealed class OperatorAudit(IPublishEndpoint bus, TimeProvider clock, ILogger<OperatorAudit> logger)
{
    public async Task RecordAsync(ClaimsPrincipal user, string action, string hostId, string? snapshotId, string? path, string? detail, CancellationToken ct)
    {
        var acted = new OperatorActed(Ids.New(), clock.GetUtcNow(), user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "unknown",
            user.FindFirstValue(ClaimTypes.Name) ?? "unknown", action, hostId, snapshotId, path, detail);
        try
        {
            await bus.Publish(acted, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The answer is already on its way; losing the record is logged with everything it held.
            logger.LogError(ex, "Could not publish {Action} by {Actor} on {HostId} {SnapshotId} {Path}", action, acted.ActorId, hostId, snapshotId, path);
        }
    }
}
