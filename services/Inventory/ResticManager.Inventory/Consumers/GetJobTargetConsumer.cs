using MassTransit;
using Microsoft.EntityFrameworkCore;
using ResticManager.Contracts;

namespace ResticManager.Inventory;

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
