using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using ResticManager.BuildingBlocks;
using ResticManager.Contracts;
using ResticManager.Protocol;

namespace ResticManager.Jobs;

/// <summary>
/// The job state rules for what agents report, each report applied exactly once (inbox by event id)
/// whatever order they arrive in: started only moves a job that has not started; finished settles any
/// job that is not final yet, including a provisionally <c>lost</c> one; a job's bus event is written
/// to the outbox in the same transaction. Each method returns what changed, for the live feed.
/// </summary>
public sealed class AgentJobReports(JobsDbContext db, JobEvents events, TimeProvider clock, ILogger<AgentJobReports> logger)
{
    public async Task<Job?> ApplyStartedAsync(string agentId, JobStarted e, CancellationToken ct)
    {
        Job? changed = null;
        await Inbox.ApplyOnceAsync(db, agentId, e.EventId, async () =>
        {
            changed = null;
            var job = await FindAsync(agentId, e.JobId, ct);
            if (job is { Status: JobStatus.Queued or JobStatus.Dispatched or JobStatus.Lost })
            {
                job.Status = JobStatus.Running;
                job.StartedAt = e.StartedAt.UtcDateTime;
                job.FinishedAt = null; // a lost job's provisional end
                events.Record(db, job);
                if (job.CancelRequested)
                {
                    // The cancel may have overtaken the command (forget and prune travel through the inventory):
                    // the agent ignores a cancel for a job it has not seen, so it is said again now that it has.
                    db.AddToOutbox(new SendAgentCommand(agentId, MessageTypes.CancelJob, WireJson.Serialize(new CancelJob(e.JobId))));
                }

                changed = job;
            }
        }, clock, ct);
        return changed;
    }

    public async Task<IReadOnlyList<JobLogLine>> ApplyLogAsync(string agentId, JobLog e, CancellationToken ct)
    {
        List<JobLogLine> added = [];
        await Inbox.ApplyOnceAsync(db, agentId, e.EventId, async () =>
        {
            added = [];
            var job = await FindAsync(agentId, e.JobId, ct);
            if (job is null)
            {
                return;
            }

            var numbers = e.Lines.Select(l => l.N).ToList();
            var existing = await db.LogLines.Where(l => l.JobId == e.JobId && numbers.Contains(l.N)).Select(l => l.N).ToListAsync(ct);
            foreach (var line in e.Lines.Where(l => !existing.Contains(l.N)).DistinctBy(l => l.N))
            {
                var row = new JobLogLine { JobId = e.JobId, N = line.N, At = line.At.UtcDateTime, Stream = line.Stream, Text = line.Text };
                db.LogLines.Add(row);
                added.Add(row);
            }

            job.LogLines = Math.Max(job.LogLines, numbers.Count > 0 ? numbers.Max() : 0);
        }, clock, ct);
        return added;
    }

    public async Task<Job?> ApplyFinishedAsync(string agentId, JobFinished e, CancellationToken ct)
    {
        Job? changed = null;
        await Inbox.ApplyOnceAsync(db, agentId, e.EventId, async () =>
        {
            changed = null;
            var job = await FindAsync(agentId, e.JobId, ct);
            if (job is null || job.IsFinal)
            {
                return;
            }

            job.Status = e.Outcome switch
            {
                JobOutcome.Succeeded => JobStatus.Succeeded,
                JobOutcome.Warning => JobStatus.Warning,
                JobOutcome.Cancelled => JobStatus.Cancelled,
                _ => JobStatus.Failed,
            };
            job.ExitCode = e.ExitCode;
            job.Error = e.Error is { Length: > 4000 } error ? error[..4000] : e.Error;
            job.SummaryJson = e.Summary is { ValueKind: not JsonValueKind.Undefined and not JsonValueKind.Null } summary ? summary.GetRawText() : null;
            job.StartedAt ??= e.FinishedAt.UtcDateTime;
            job.FinishedAt = e.FinishedAt.UtcDateTime;
            job.LogLines = Math.Max(job.LogLines, e.LogLines);
            events.Record(db, job);
            changed = job;

            if (job.Kind is JobKind.Init or JobKind.Backup && job.Status is JobStatus.Succeeded or JobStatus.Warning)
            {
                await db.Hosts.Where(h => h.Id == job.HostId && h.RepositoryVersion != null)
                    .ExecuteUpdateAsync(s => s.SetProperty(h => h.InitializedVersion, h => h.RepositoryVersion!.Value), ct);
            }
        }, clock, ct);
        return changed;
    }

    /// <summary>An agent may only report on its own jobs.</summary>
    async Task<Job?> FindAsync(string agentId, string jobId, CancellationToken ct)
    {
        var job = await db.Jobs.FirstOrDefaultAsync(j => j.Id == jobId, ct);
        if (job is null || job.HostId != agentId)
        {
            logger.LogWarning("Agent {AgentId} reported on job {JobId}, which is not one of its jobs; ignored", agentId, jobId);
            return null;
        }

        return job;
    }
}
