using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using ResticManager.Contracts;
using ResticManager.Protocol;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Jobs;

/// <summary>
/// Applies the job events agents send, each exactly once (inbox by event id) and whatever order the
/// consumers run in: started only moves a job that has not started; finished settles any job that
/// is not final yet, including a provisionally <c>lost</c> one. After the commit the agent gets its
/// acknowledgement and live subscribers get the news.
/// </summary>
public sealed class AgentJobConsumers(JobsDbContext db, JobDispatcher dispatcher, JobEvents events, JobLiveFeed feed, TimeProvider clock, ILogger<AgentJobConsumers> logger)
    : IConsumer<AgentJobStarted>, IConsumer<AgentJobLogged>, IConsumer<AgentJobFinished>, IConsumer<AgentJobProgressed>
{
    public async Task Consume(ConsumeContext<AgentJobStarted> context)
    {
        var (agentId, e) = (context.Message.AgentId, context.Message.Event);
        Job? changed = null;
        await Inbox.ApplyOnceAsync(db, agentId, e.EventId, async () =>
        {
            var job = await FindAsync(agentId, e.JobId, context.CancellationToken);
            if (job is { Status: JobStatus.Queued or JobStatus.Dispatched or JobStatus.Lost })
            {
                job.Status = JobStatus.Running;
                job.StartedAt = e.StartedAt.UtcDateTime;
                changed = job;
            }
        }, clock, context.CancellationToken);

        await context.AcknowledgeToAgentAsync(agentId, e.EventId, context.CancellationToken);
        if (changed is not null)
        {
            await events.StateChangedAsync(changed, context.CancellationToken);
            if (changed.CancelRequested)
            {
                // The cancel may have overtaken the command (forget and prune travel through the inventory):
                // the agent ignores a cancel for a job it has not seen, so it is said again now that it has.
                await context.Publish(new SendAgentCommand(agentId, MessageTypes.CancelJob, WireJson.Serialize(new CancelJob(e.JobId))), context.CancellationToken);
            }
        }
    }

    public async Task Consume(ConsumeContext<AgentJobLogged> context)
    {
        var (agentId, e) = (context.Message.AgentId, context.Message.Event);
        List<JobLogLine> added = [];
        await Inbox.ApplyOnceAsync(db, agentId, e.EventId, async () =>
        {
            added = [];
            var job = await FindAsync(agentId, e.JobId, context.CancellationToken);
            if (job is null)
            {
                return;
            }

            var numbers = e.Lines.Select(l => l.N).ToList();
            var existing = await db.LogLines.Where(l => l.JobId == e.JobId && numbers.Contains(l.N)).Select(l => l.N).ToListAsync(context.CancellationToken);
            foreach (var line in e.Lines.Where(l => !existing.Contains(l.N)).DistinctBy(l => l.N))
            {
                var row = new JobLogLine { JobId = e.JobId, N = line.N, At = line.At.UtcDateTime, Stream = line.Stream, Text = line.Text };
                db.LogLines.Add(row);
                added.Add(row);
            }

            job.LogLines = Math.Max(job.LogLines, numbers.Count > 0 ? numbers.Max() : 0);
        }, clock, context.CancellationToken);

        await context.AcknowledgeToAgentAsync(agentId, e.EventId, context.CancellationToken);
        foreach (var line in added)
        {
            feed.Publish(e.JobId, new LiveEvent("log", line.N.ToString(System.Globalization.CultureInfo.InvariantCulture), LogLineView.From(line)));
        }
    }

    public async Task Consume(ConsumeContext<AgentJobFinished> context)
    {
        var (agentId, e) = (context.Message.AgentId, context.Message.Event);
        Job? changed = null;
        await Inbox.ApplyOnceAsync(db, agentId, e.EventId, async () =>
        {
            changed = null;
            var job = await FindAsync(agentId, e.JobId, context.CancellationToken);
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
            changed = job;

            if (job.Kind is JobKind.Init or JobKind.Backup && job.Status is JobStatus.Succeeded or JobStatus.Warning)
            {
                await db.Hosts.Where(h => h.Id == job.HostId && h.RepositoryVersion != null)
                    .ExecuteUpdateAsync(s => s.SetProperty(h => h.InitializedVersion, h => h.RepositoryVersion!.Value), context.CancellationToken);
            }
        }, clock, context.CancellationToken);

        await context.AcknowledgeToAgentAsync(agentId, e.EventId, context.CancellationToken);
        if (changed is not null)
        {
            await events.StateChangedAsync(changed, context.CancellationToken);
        }

        await dispatcher.DispatchAsync(agentId, context.CancellationToken);
    }

    public Task Consume(ConsumeContext<AgentJobProgressed> context)
    {
        feed.Publish(context.Message.Event.JobId, new LiveEvent("progress", null, context.Message.Event));
        return Task.CompletedTask;
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
