using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;
using ResticManager.Protocol;

namespace ResticManager.Inventory;

/// <summary>
/// Sends a restore of another host's snapshot with that host's repository binding attached as the
/// job's access, decrypted just for this command (it is published, never written to an outbox or a
/// log). The source must still be bound and not revoked; otherwise the command goes without access and
/// the agent fails the job instead of falling back to its own repository.
/// </summary>
public sealed class SendJobWithSourceAccessConsumer(InventoryDbContext db, SecretProtector protector, ILogger<SendJobWithSourceAccessConsumer> logger)
    : IConsumer<SendJobWithSourceAccess>
{
    public async Task Consume(ConsumeContext<SendJobWithSourceAccess> context)
    {
        var (agentId, command) = context.Message;
        RepositoryAccess? access = null;
        if (command is { Kind: JobKind.Restore, Restore.SourceHostId: { } sourceId })
        {
            var binding = await db.Repositories.AsNoTracking()
                .Where(r => r.HostId == sourceId && db.Hosts.Any(h => h.Id == sourceId && h.Status != HostStatus.Revoked))
                .FirstOrDefaultAsync(context.CancellationToken);
            access = binding is null ? null : protector.UnprotectBinding(binding);
        }

        if (access is null)
        {
            logger.LogWarning("Job {JobId} ({Kind}) for host {HostId} restores from host {SourceId}, which has no repository access to lend; sending it without",
                command.JobId, command.Kind, agentId, command.Restore?.SourceHostId);
        }

        await context.Publish(new SendAgentCommand(agentId, MessageTypes.RunJob, WireJson.Serialize(command with { Admin = access })), context.CancellationToken);
        logger.LogInformation("Sent job {JobId} ({Kind}) to host {HostId}, source access attached: {Attached}", command.JobId, command.Kind, agentId, access is not null);
    }
}
