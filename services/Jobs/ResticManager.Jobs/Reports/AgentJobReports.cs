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
/// to the outbox in the same transaction. Reports come in batches, applied in one transaction with one
/// inbox query and one query for their jobs: a report costs a share of a commit, not a commit, which
/// is what keeps a burst of running jobs from queueing their acknowledgements behind each other. Each
/// method returns what changed, for the live feed.
/// </summary>
public sealed class AgentJobReports(JobsDbContext db, JobEvents events, JobsWriteGate gate, TimeProvider clock, ILogger<AgentJobReports> logger)
{
    /// <summary>The jobs that moved to running (each once).</summary>
    public async Task<IReadOnlyList<Job>> ApplyStartedAsync(IReadOnlyList<AgentJobStarted> reports, CancellationToken ct)
    {
        var changed = new List<Job>();
        using var turn = await gate.EnterAsync(db, ct);
        await Inbox.ApplyBatchOnceAsync(db, reports.Select(r => new AgentEventKey(r.AgentId, r.Event.EventId)).ToList(), async fresh =>
        {
            changed.Clear();
            var jobs = await FindAsync(fresh.Select(i => (reports[i].AgentId, reports[i].Event.JobId)), ct);
            foreach (var (agentId, e) in fresh.Select(i => (reports[i].AgentId, reports[i].Event)))
            {
                var job = OwnJob(jobs, agentId, e.JobId);
                if (job is not { Status: JobStatus.Queued or JobStatus.Dispatched or JobStatus.Lost })
                {
                    continue;
                }

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

                changed.Add(job);
            }
        }, clock, ct);
        return changed;
    }

    /// <summary>The log lines stored now, in the order reported (a line already stored, or twice in the batch, once).</summary>
    public async Task<IReadOnlyList<JobLogLine>> ApplyLogAsync(IReadOnlyList<AgentJobLogged> reports, CancellationToken ct)
    {
        var added = new List<JobLogLine>();
        using var turn = await gate.EnterAsync(db, ct);
        await Inbox.ApplyBatchOnceAsync(db, reports.Select(r => new AgentEventKey(r.AgentId, r.Event.EventId)).ToList(), async fresh =>
        {
            added.Clear();
            var jobs = await FindAsync(fresh.Select(i => (reports[i].AgentId, reports[i].Event.JobId)), ct);
            var logs = fresh.Where(i => OwnJob(jobs, reports[i].AgentId, reports[i].Event.JobId) is not null).Select(i => reports[i].Event).ToList();
            // A job's LogLines is at least the highest line stored, so lines above it cannot be stored yet: only
            // the rest (a resend under a new id, lines after an early finish) are looked up, in one query.
            var maybeStored = logs.Where(e => e.Lines.Any(l => l.N <= jobs[e.JobId].LogLines)).ToList();
            var jobIds = maybeStored.Select(e => e.JobId).Distinct(StringComparer.Ordinal).ToList();
            var numbers = maybeStored.SelectMany(e => e.Lines.Select(l => l.N)).Distinct().ToList();
            var stored = jobIds.Count == 0 ? [] : (await db.LogLines.AsNoTracking().Where(l => jobIds.Contains(l.JobId) && numbers.Contains(l.N))
                    .Select(l => new { l.JobId, l.N }).ToListAsync(ct))
                .Select(l => (l.JobId, l.N)).ToHashSet();
            foreach (var e in logs)
            {
                var job = jobs[e.JobId];
                foreach (var line in e.Lines)
                {
                    if (stored.Add((e.JobId, line.N)))
                    {
                        var row = new JobLogLine { JobId = e.JobId, N = line.N, At = line.At.UtcDateTime, Stream = line.Stream, Text = line.Text };
                        db.LogLines.Add(row);
                        added.Add(row);
                    }
                }

                job.LogLines = Math.Max(job.LogLines, e.Lines.Count > 0 ? e.Lines.Max(l => l.N) : 0);
            }
        }, clock, ct);
        return added;
    }

    /// <summary>The jobs settled now (each once).</summary>
    public async Task<IReadOnlyList<Job>> ApplyFinishedAsync(IReadOnlyList<AgentJobFinished> reports, CancellationToken ct)
    {
        var changed = new List<Job>();
        using var turn = await gate.EnterAsync(db, ct);
        await Inbox.ApplyBatchOnceAsync(db, reports.Select(r => new AgentEventKey(r.AgentId, r.Event.EventId)).ToList(), async fresh =>
        {
            changed.Clear();
            var jobs = await FindAsync(fresh.Select(i => (reports[i].AgentId, reports[i].Event.JobId)), ct);
            foreach (var (agentId, e) in fresh.Select(i => (reports[i].AgentId, reports[i].Event)))
            {
                var job = OwnJob(jobs, agentId, e.JobId);
                if (job is null || job.IsFinal)
                {
                    continue;
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
                changed.Add(job);

                if (job.Kind is JobKind.Init or JobKind.Backup && job.Status is JobStatus.Succeeded or JobStatus.Warning)
                {
                    await db.Hosts.Where(h => h.Id == job.HostId && h.RepositoryVersion != null)
                        .ExecuteUpdateAsync(s => s.SetProperty(h => h.InitializedVersion, h => h.RepositoryVersion!.Value), ct);
                }
            }
        }, clock, ct);
        return changed;
    }

    /// <summary>The reported jobs, tracked, by id, in one query; a report on a job that is not its agent's is logged here.</summary>
    async Task<Dictionary<string, Job>> FindAsync(IEnumerable<(string AgentId, string JobId)> reported, CancellationToken ct)
    {
        var wanted = reported.Distinct().ToList();
        var ids = wanted.Select(r => r.JobId).Distinct(StringComparer.Ordinal).ToList();
        var found = await db.Jobs.Where(j => ids.Contains(j.Id)).ToDictionaryAsync(j => j.Id, StringComparer.Ordinal, ct);
        foreach (var (agentId, jobId) in wanted.Where(r => OwnJob(found, r.AgentId, r.JobId) is null))
        {
            logger.LogWarning("Agent {AgentId} reported on job {JobId}, which is not one of its jobs; ignored", agentId, jobId);
        }

        return found;
    }

    /// <summary>An agent may only report on its own jobs.</summary>
    static Job? OwnJob(Dictionary<string, Job> jobs, string agentId, string jobId) =>
        jobs.GetValueOrDefault(jobId) is { } job && job.HostId == agentId ? job : null;
}
