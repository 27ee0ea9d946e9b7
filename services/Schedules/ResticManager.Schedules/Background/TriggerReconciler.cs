using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;

namespace ResticManager.Schedules;

/// <summary>At start, creates the triggers that are missing (and mends changed ones); never touches matching ones.</summary>
sealed class TriggerReconciler(IServiceScopeFactory scopes, QuartzTriggers triggers, ILogger<TriggerReconciler> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SchedulesDbContext>();
        var schedules = await db.Schedules.AsNoTracking().ToListAsync(cancellationToken);
        foreach (var schedule in schedules)
        {
            await EnsureAsync(() => triggers.SyncScheduleAsync(schedule.Id, cancellationToken), $"schedule {schedule.Id}");
        }

        var tasks = await db.Maintenance.AsNoTracking().ToListAsync(cancellationToken);
        foreach (var task in tasks)
        {
            await EnsureAsync(() => triggers.SyncMaintenanceAsync(task.HostId, task.Kind, cancellationToken), $"{task.Kind} of host {task.HostId}");
        }

        logger.LogInformation("Triggers checked for {Schedules} schedule(s) and {Tasks} maintenance task(s)", schedules.Count, tasks.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>One definition Quartz refuses must not keep the service (and every other schedule) from starting.</summary>
    async Task EnsureAsync(Func<Task> ensure, string what)
    {
        try
        {
            await ensure();
        }
        catch (SchedulerException ex)
        {
            logger.LogError(ex, "The trigger of {What} could not be created; it does not fire until it is saved again", what);
        }
    }
}
