using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ResticManager.Contracts;

namespace ResticManager.Jobs;

/// <summary>
/// Periodically marks jobs <c>lost</c> whose host has been offline longer than <c>Jobs:LostAfter</c>
/// (provisional: the agent's replayed job.finished still settles them), and moves every online
/// host's queue, so a missed trigger never leaves a job waiting.
/// </summary>
sealed class JobMaintenance(IServiceScopeFactory scopes, JobDispatcher dispatcher, JobEvents events, IOptions<JobsOptions> options, TimeProvider clock, ILogger<JobMaintenance> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.MaintenanceInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await MarkLostAsync(stoppingToken);
                await MarkMissedAsync(stoppingToken);
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<JobsDbContext>();
                var waiting = await db.Jobs.Where(j => j.Status == JobStatus.Queued || (j.Status == JobStatus.Dispatched && j.StartedAt == null))
                    .Select(j => j.HostId).Distinct().ToListAsync(stoppingToken);
                foreach (var hostId in waiting)
                {
                    await dispatcher.DispatchAsync(hostId, stoppingToken);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Job maintenance failed; retrying at the next tick");
            }
        }
    }

    /// <summary>A scheduled run that waited longer than <c>Jobs:ScheduledRunMaxAge</c> is recorded as missed and never sent.</summary>
    async Task MarkMissedAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JobsDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        var cutoff = now - options.Value.ScheduledRunMaxAge;
        var stale = await db.Jobs.Where(j => j.Status == JobStatus.Queued && j.ScheduleId != null && j.CreatedAt < cutoff).Select(j => j.Id).ToListAsync(ct);
        var error = $"not started within {options.Value.ScheduledRunMaxAge} of its schedule (host offline or busy)";
        foreach (var id in stale)
        {
            // Conditional, like every status change: the dispatcher may have claimed it in between.
            var marked = await db.Jobs.Where(j => j.Id == id && j.Status == JobStatus.Queued)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, JobStatus.Missed).SetProperty(j => j.FinishedAt, now).SetProperty(j => j.Error, error), ct);
            if (marked == 1)
            {
                var job = await db.Jobs.AsNoTracking().FirstAsync(j => j.Id == id, ct);
                logger.LogWarning("Scheduled job {JobId} on host {HostId} missed its window", job.Id, job.HostId);
                await events.StateChangedAsync(job, ct);
            }
        }
    }

    async Task MarkLostAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JobsDbContext>();
        var cutoff = clock.GetUtcNow().UtcDateTime - options.Value.LostAfter;
        var goneHosts = db.Hosts.Where(h => !h.Online && h.OfflineSince != null && h.OfflineSince < cutoff).Select(h => h.Id);
        var candidates = await db.Jobs.Where(j => (j.Status == JobStatus.Dispatched || j.Status == JobStatus.Running) && goneHosts.Contains(j.HostId))
            .Select(j => j.Id).ToListAsync(ct);
        var error = $"the agent has been offline for more than {options.Value.LostAfter}; a later report from it will settle the job";
        foreach (var id in candidates)
        {
            // Conditional: a job.finished applied in the meantime must not be overwritten.
            var marked = await db.Jobs.Where(j => j.Id == id && (j.Status == JobStatus.Dispatched || j.Status == JobStatus.Running))
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, JobStatus.Lost).SetProperty(j => j.Error, error), ct);
            if (marked == 1)
            {
                var job = await db.Jobs.AsNoTracking().FirstAsync(j => j.Id == id, ct);
                logger.LogWarning("Job {JobId} on host {HostId} is lost", job.Id, job.HostId);
                await events.StateChangedAsync(job, ct);
            }
        }
    }
}
