using MassTransit;
using Microsoft.EntityFrameworkCore;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;

namespace ResticManager.Schedules;

/// <summary>
/// Publishes every source group's name as stored, page by page, under the version its last change announced
/// (the ticks of <see cref="SourceGroup.UpdatedAt"/>), so a consumer that has it changes nothing. A deleted
/// group has no row left: a copy that never heard of it has nothing to forget.
/// </summary>
public sealed class RepublishGroupsConsumer(SchedulesDbContext db) : IConsumer<RepublishHostFacts>
{
    const int PageSize = 500;

    public async Task Consume(ConsumeContext<RepublishHostFacts> context)
    {
        var ct = context.CancellationToken;
        var after = string.Empty;
        while (true)
        {
            var groups = await db.SourceGroups.AsNoTracking()
                .Where(g => string.Compare(g.Id, after) > 0).OrderBy(g => g.Id).Take(PageSize)
                .Select(g => new { g.Id, g.HostId, g.Name, g.UpdatedAt })
                .ToListAsync(ct);
            if (groups.Count == 0)
            {
                return;
            }

            await context.PublishBatch(groups.Select(g => new SourceGroupChanged(g.HostId, g.Id, g.Name, false, g.UpdatedAt.Ticks, g.UpdatedAt.AsUtc())), ct);
            after = groups[^1].Id;
        }
    }
}
