using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using ResticManager.Contracts;
using ResticManager.Protocol;
using ResticManager.BuildingBlocks;

namespace ResticManager.Inventory;

/// <summary>
/// Sends a job for the jobs service, which never holds repository secrets, with the host's admin
/// credentials attached when it has them. Only forget and prune ever get them: any other kind goes out
/// without, and whatever <see cref="RunJob.Admin"/> the request carried is replaced, never passed on.
/// </summary>
public sealed class SendJobWithAdminAccessConsumer(InventoryDbContext db, SecretProtector protector, ILogger<SendJobWithAdminAccessConsumer> logger)
    : IConsumer<SendJobWithAdminAccess>
{
    public async Task Consume(ConsumeContext<SendJobWithAdminAccess> context)
    {
        var (agentId, command) = context.Message;
        RepositoryAccess? access = null;
        if (command.Kind is JobKind.Forget or JobKind.Prune)
        {
            // A revoked host gets no secrets, whatever is still stored for it.
            var row = await db.AdminCredentials.AsNoTracking()
                .Where(a => a.HostId == agentId && db.Hosts.Any(h => h.Id == agentId && h.Status != HostStatus.Revoked))
                .FirstOrDefaultAsync(context.CancellationToken);
            access = row is null ? null : protector.UnprotectAccess(row);
        }
        else
        {
            logger.LogWarning("Job {JobId} ({Kind}) for host {HostId} asked for admin access, which only forget and prune get; sending it without", command.JobId, command.Kind, agentId);
        }

        await context.Publish(new SendAgentCommand(agentId, MessageTypes.RunJob, WireJson.Serialize(command with { Admin = access })), context.CancellationToken);
        logger.LogInformation("Sent job {JobId} ({Kind}) to host {HostId}, admin access attached: {Attached}", command.JobId, command.Kind, agentId, access is not null);
    }
}
