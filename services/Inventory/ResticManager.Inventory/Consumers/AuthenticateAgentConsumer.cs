using MassTransit;
using Microsoft.EntityFrameworkCore;
using ResticManager.Contracts;
using ResticManager.BuildingBlocks;

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
