using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using ResticManager.FleetSimulator.Scheduling;
using ResticManager.Protocol;

namespace ResticManager.FleetSimulator.Agents;

/// <summary>
/// A job as the agent reports one, without restic: job.started, progress every
/// <see cref="JobBehaviour.ProgressInterval"/>, <see cref="JobBehaviour.LogBatches"/> log batches spread evenly over
/// the duration, job.finished. Events are numbered <c>{jobId}:{seq}</c> from 1 and log lines from 1, as the agent
/// numbers them. Its steps run on the fleet's scheduler; every method runs under the agent's lock.
/// </summary>
internal sealed class SimulatedJob(SimulatedAgent agent, FleetContext context, RunJob command) : IScheduled
{
    static readonly string[] Files = ["/etc/hosts", "/var/lib/app/data.db", "/home/user/documents/report.odt", "/srv/www/index.html", "/opt/app/bin/server"];

    readonly JobBehaviour behaviour = context.Options.Jobs;
    long started;
    long ends;
    long nextProgress;
    long scheduledFor;
    int batchesSent;
    long seq;
    long lines;
    bool over;

    public string JobId => command.JobId;

    public void Start(long now)
    {
        started = now;
        ends = now + (long)behaviour.Duration.TotalMilliseconds;
        nextProgress = behaviour.ProgressInterval > TimeSpan.Zero ? now + (long)behaviour.ProgressInterval.TotalMilliseconds : long.MaxValue;
        Interlocked.Increment(ref context.Stats.JobsStarted);
        var id = NextEventId(out var eventSeq);
        agent.AddEvent(MessageTypes.JobStarted, id, JobId, WireJson.Serialize(new JobStarted(id, JobId, eventSeq, command.Kind, DateTimeOffset.UtcNow)));
        ScheduleNext();
    }

    public void Fire(long due, long now)
    {
        lock (agent.Sync)
        {
            if (over || due != scheduledFor)
            {
                return;
            }

            scheduledFor = 0;
            while (batchesSent < behaviour.LogBatches && now >= LogDue(batchesSent + 1))
            {
                SendLogBatch();
            }

            if (now >= ends)
            {
                var outcome = behaviour.Outcome;
                Finish(outcome, outcome switch
                {
                    JobOutcome.Succeeded => 0,
                    JobOutcome.Warning => 3,
                    JobOutcome.Failed => 1,
                    _ => null,
                }, outcome switch
                {
                    JobOutcome.Failed => "simulated failure",
                    JobOutcome.Cancelled => "cancelled",
                    _ => null,
                });
                return;
            }

            if (now >= nextProgress)
            {
                SendProgress(now);
                var interval = (long)behaviour.ProgressInterval.TotalMilliseconds;
                nextProgress += interval;
                if (nextProgress <= now)
                {
                    nextProgress = now + interval;
                }
            }

            ScheduleNext();
        }
    }

    /// <summary>The server's <c>job.cancel</c> while it runs.</summary>
    public void Cancel() => Finish(JobOutcome.Cancelled, null, "cancelled");

    /// <summary>Cancelled while it waited: the agent reports only its end.</summary>
    public void CancelBeforeStart() => Finish(JobOutcome.Cancelled, null, "cancelled before it started");

    /// <summary>The fleet stops: like an agent that stops, the job sends nothing more.</summary>
    public void Halt() => over = true;

    long LogDue(int batch) => started + (ends - started) * batch / (behaviour.LogBatches + 1);

    void ScheduleNext()
    {
        var next = Math.Min(ends, nextProgress);
        if (batchesSent < behaviour.LogBatches)
        {
            next = Math.Min(next, LogDue(batchesSent + 1));
        }

        scheduledFor = next;
        context.Scheduler.At(next, this);
    }

    string NextEventId(out long eventSeq)
    {
        eventSeq = ++seq;
        return string.Create(CultureInfo.InvariantCulture, $"{JobId}:{eventSeq}");
    }

    void SendLogBatch()
    {
        batchesSent++;
        var now = DateTimeOffset.UtcNow;
        var batch = new LogLine[Math.Max(1, behaviour.LogLinesPerBatch)];
        for (var i = 0; i < batch.Length; i++)
        {
            var n = ++lines;
            batch[i] = new LogLine(n, now, LogStream.Stdout, string.Create(CultureInfo.InvariantCulture,
                $"processed {n * 137} files, {n * 1.7:F1} MiB, now at {Files[n % Files.Length]}"));
        }

        var id = NextEventId(out var eventSeq);
        agent.AddEvent(MessageTypes.JobLog, id, JobId, WireJson.Serialize(new JobLog(id, JobId, eventSeq, batch)));
    }

    void SendProgress(long now)
    {
        var elapsed = now - started;
        var total = Math.Max(1, ends - started);
        var fraction = Math.Clamp((double)elapsed / total, 0, 1);
        const long TotalFiles = 12_000;
        const long TotalBytes = 5L * 1024 * 1024 * 1024;
        agent.SendProgress(WireJson.Serialize(new JobProgress(JobId, fraction, (long)(TotalFiles * fraction), TotalFiles, (long)(TotalBytes * fraction), TotalBytes,
            elapsed / 1000, (total - elapsed) / 1000, [Files[(int)(elapsed / 1000 % Files.Length)]], DateTimeOffset.UtcNow)));
    }

    void Finish(JobOutcome outcome, int? exitCode, string? error)
    {
        if (over)
        {
            return;
        }

        over = true;
        var summary = command.Kind == JobKind.Backup && outcome is JobOutcome.Succeeded or JobOutcome.Warning ? BackupSummary() : (JsonElement?)null;
        var id = NextEventId(out var eventSeq);
        agent.AddEvent(MessageTypes.JobFinished, id, JobId, WireJson.Serialize(new JobFinished(id, JobId, eventSeq, outcome, exitCode, error, summary, lines, DateTimeOffset.UtcNow)));
        Interlocked.Increment(ref context.Stats.JobsFinished);
        agent.OnJobEnded(this);
    }

    /// <summary>restic's backup summary (snake_case, as restic writes it), with a fresh snapshot id.</summary>
    JsonElement BackupSummary()
    {
        var end = DateTimeOffset.UtcNow;
        var begin = end - behaviour.Duration;
        var snapshotId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var json = string.Create(CultureInfo.InvariantCulture, $$"""
            {"message_type":"summary","files_new":{{Random.Shared.Next(0, 50)}},"files_changed":{{Random.Shared.Next(0, 200)}},"files_unmodified":11800,"dirs_new":0,"dirs_changed":12,"dirs_unmodified":900,"data_blobs":140,"tree_blobs":13,"data_added":{{Random.Shared.Next(1_000_000, 50_000_000)}},"data_added_packed":{{Random.Shared.Next(500_000, 20_000_000)}},"total_files_processed":12000,"total_bytes_processed":5368709120,"total_duration":{{behaviour.Duration.TotalSeconds:F3}},"backup_start":"{{begin:O}}","backup_end":"{{end:O}}","snapshot_id":"{{snapshotId}}"}
            """);
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
