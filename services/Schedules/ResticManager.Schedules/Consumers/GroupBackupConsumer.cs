using MassTransit;
using Microsoft.EntityFrameworkCore;
using ResticManager.Contracts;
using ResticManager.Protocol;

namespace ResticManager.Schedules;

/// <summary>A group's backup that succeeded (or warned) moves its last success, and may end its overdue state.</summary>
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
        // Redeliveries and out-of-order arrivals change nothing: only a newer success moves it.
        if (group is null || group.LastSuccessAt >= at)
        {
            return;
        }

        group.LastSuccessAt = at;
        group.LastSuccessJobId = change.JobId;
        await tracker.RefreshAsync(db, [group], context.CancellationToken);
    }
}
