using MassTransit;
using Microsoft.EntityFrameworkCore;
using ResticManager.Contracts;
using ResticManager.Protocol;

namespace ResticManager.Schedules;

/// <summary>
/// A group's backup that succeeded (or warned) moves its last success, and may end its overdue state.
/// Idempotent: events arrive at least once and in any order, and only a success newer than the one
/// recorded moves it, so a redelivery records nothing and announces nothing.
/// </summary>
public sealed class GroupBackupConsumer(SchedulesDbContext db, OverdueTracker tracker) : IConsumer<JobStateChanged>
{
    public async Task Consume(ConsumeContext<JobStateChanged> context)
    {
        var change = context.Message;
        if (change is not { Kind: JobKind.Backup, Status: JobStatus.Succeeded or JobStatus.Warning, SourceGroupId: { } groupId })
        {
            return;
        }

        var group = await db.SourceGroups.FirstOrDefaultAsync(g => g.Id == groupId, context.CancellationToken);
        var at = change.At.UtcDateTime;
        if (group is null || group.LastSuccessAt >= at)
        {
            return;
        }

        group.LastSuccessAt = at;
        group.LastSuccessJobId = change.JobId;
        await tracker.RefreshAsync(db, [group], context.CancellationToken);
    }
}
