using Microsoft.EntityFrameworkCore;
using ResticManager.Contracts;

namespace ResticManager.Schedules;

/// <summary>A revoked host runs nothing again: its schedules and maintenance are disabled and their triggers removed.</summary>
public sealed class RevokedHostSchedulesConsumer(SchedulesDbContext db, QuartzTriggers triggers, TimeProvider clock) : MassTransit.IConsumer<HostRevoked>
{
    public async Task Consume(MassTransit.ConsumeContext<HostRevoked> context)
    {
        var hostId = context.Message.AgentId;
        var now = clock.GetUtcNow().UtcDateTime;
        var schedules = await db.Schedules.Where(s => s.HostId == hostId && s.Enabled).ToListAsync(context.CancellationToken);
        var tasks = await db.Maintenance.Where(m => m.HostId == hostId && m.Enabled).ToListAsync(context.CancellationToken);
        schedules.ForEach(s => (s.Enabled, s.UpdatedAt) = (false, now));
        tasks.ForEach(t => (t.Enabled, t.UpdatedAt) = (false, now));
        await db.SaveChangesAsync(context.CancellationToken);
        foreach (var schedule in schedules)
        {
            await triggers.SyncScheduleAsync(schedule.Id, context.CancellationToken);
        }

        foreach (var task in tasks)
        {
            await triggers.SyncMaintenanceAsync(task.HostId, task.Kind, context.CancellationToken);
        }
    }
}
