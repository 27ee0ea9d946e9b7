using System.Text.Json;
using MQTTnet.Protocol;
using ResticManager.Agent.Connection;
using ResticManager.Agent.Storage;
using ResticManager.Protocol;

namespace ResticManager.Agent.Jobs;

/// <summary>
/// The events of one job, numbered: every event gets the next sequence number (its id is
/// "{jobId}:{seq}"), log lines are numbered from 1 and sent in batches about once a second, and
/// progress goes out live at most once a second.
/// </summary>
public sealed class JobExecution(string jobId, Outbox outbox, AgentLink link, TimeProvider time) : IAsyncDisposable
{
    const int MaxBatchLines = 400;
    // Characters, not bytes: JSON escaping can make one character six bytes, and the batch must stay
    // under the broker's payload limit.
    const int MaxBatchChars = WireJson.MaxPayloadBytes / 8;

    readonly List<LogLine> buffer = [];
    readonly SemaphoreSlim flushing = new(1, 1);
    readonly CancellationTokenSource stopFlusher = new();
    Task? flusher;
    long seq;
    long lines;
    int bufferedChars;
    long lastProgress = long.MinValue;

    public string JobId => jobId;

    public long LogLineCount => Interlocked.Read(ref lines);

    string NextEventId(out long eventSeq)
    {
        eventSeq = Interlocked.Increment(ref seq);
        return $"{jobId}:{eventSeq}";
    }

    public async Task StartedAsync(JobKind kind, CancellationToken ct)
    {
        var id = NextEventId(out var eventSeq);
        await outbox.AddAsync(MessageTypes.JobStarted, new JobStarted(id, jobId, eventSeq, kind, time.GetUtcNow()), ct);
        flusher = FlushPeriodicallyAsync(stopFlusher.Token);
    }

    public void Log(LogStream stream, string text)
    {
        if (text.Length > 8192)
        {
            text = text[..8192];
        }

        lock (buffer)
        {
            buffer.Add(new LogLine(Interlocked.Increment(ref lines), time.GetUtcNow(), stream, text));
            bufferedChars += text.Length;
        }
    }

    /// <summary>True at most once a second: the caller then sends progress (and need not build it otherwise).</summary>
    public bool ClaimProgress()
    {
        var now = time.GetTimestamp();
        if (lastProgress != long.MinValue && time.GetElapsedTime(lastProgress, now) < TimeSpan.FromSeconds(1))
        {
            return false;
        }

        lastProgress = now;
        return true;
    }

    public async Task SendProgressAsync(JobProgress progress, CancellationToken ct) =>
        await link.TryPublishAsync(MessageTypes.JobProgress, WireJson.Serialize(progress), MqttQualityOfServiceLevel.AtMostOnce, ct);

    public async Task ReportSnapshotsAsync(IReadOnlyList<SnapshotInfo> snapshots, CancellationToken ct)
    {
        await outbox.AddAsync(MessageTypes.SnapshotsReport, new SnapshotsReport(NextEventId(out _), jobId, time.GetUtcNow(), snapshots), ct);
    }

    public async Task ReportStatsAsync(RepositoryStats stats, CancellationToken ct)
    {
        await outbox.AddAsync(MessageTypes.RepositoryStats, stats with { EventId = NextEventId(out _), JobId = jobId }, ct);
    }

    public async Task FinishedAsync(JobOutcome outcome, int? exitCode, string? error, JsonElement? summary, CancellationToken ct)
    {
        await stopFlusher.CancelAsync();
        if (flusher is not null)
        {
            await flusher;
        }

        await FlushLogAsync(ct);
        var id = NextEventId(out var eventSeq);
        await outbox.AddAsync(MessageTypes.JobFinished, new JobFinished(id, jobId, eventSeq, outcome, exitCode, error, summary, LogLineCount, time.GetUtcNow()), ct);
    }

    async Task FlushPeriodicallyAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                await FlushLogAsync(CancellationToken.None);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    async Task FlushLogAsync(CancellationToken ct)
    {
        await flushing.WaitAsync(ct);
        try
        {
            while (true)
            {
                List<LogLine> batch;
                lock (buffer)
                {
                    if (buffer.Count == 0)
                    {
                        return;
                    }

                    // Batches stay well under the broker's payload limit.
                    var take = 0;
                    var chars = 0;
                    while (take < buffer.Count && take < MaxBatchLines && (take == 0 || chars + buffer[take].Text.Length <= MaxBatchChars))
                    {
                        chars += buffer[take].Text.Length;
                        take++;
                    }

                    batch = buffer.GetRange(0, take);
                    buffer.RemoveRange(0, take);
                    bufferedChars -= chars;
                }

                var id = NextEventId(out var eventSeq);
                await outbox.AddAsync(MessageTypes.JobLog, new JobLog(id, jobId, eventSeq, batch), ct);
            }
        }
        finally
        {
            flushing.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopFlusher.CancelAsync();
        if (flusher is not null)
        {
            await flusher;
        }

        stopFlusher.Dispose();
    }
}
