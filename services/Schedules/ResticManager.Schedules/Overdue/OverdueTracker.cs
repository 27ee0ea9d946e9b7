using Microsoft.Extensions.Logging;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;

namespace ResticManager.Schedules;

/// <summary>
/// Keeps <see cref="SourceGroup.OverdueSince"/> current and announces each change on the bus
/// (<see cref="SourceGroupOverdue"/>, <see cref="SourceGroupCaughtUp"/>) for notifications. The
/// announcements go through the outbox in the same save as the change: a publish that fails after
/// the commit is retried by the dispatcher, where publishing directly would lose it for good (the
/// group's state already says it was announced).
/// </summary>
public sealed class OverdueTracker(OverdueRule rule, ILogger<OverdueTracker> logger)
{
    public async Task RefreshAsync(SchedulesDbContext db, IReadOnlyCollection<SourceGroup> groups, CancellationToken ct)
    {
        var statuses = await rule.StatusesAsync(db, groups, ct);
        foreach (var group in groups)
        {
            var status = statuses[group.Id];
            if (status.Overdue && group.OverdueSince is null)
            {
                group.OverdueSince = status.OverdueSince!.Value.UtcDateTime;
                logger.LogWarning("Source group {Group} of host {HostId} is overdue (last success {LastSuccess})", group.Name, group.HostId, group.LastSuccessAt);
                db.AddToOutbox(new SourceGroupOverdue(group.HostId, group.Id, group.Name, status.LastSuccessAt, status.ExpectedInterval!.Value, status.OverdueSince.Value));
            }
            else if (!status.Overdue && group.OverdueSince is not null)
            {
                group.OverdueSince = null;
                if (group.LastSuccessAt is { } success)
                {
                    db.AddToOutbox(new SourceGroupCaughtUp(group.HostId, group.Id, group.Name, success.AsUtc()));
                }
            }
        }

        await db.SaveChangesAsync(ct);
    }
}
