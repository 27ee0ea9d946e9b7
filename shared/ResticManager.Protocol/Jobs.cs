using System.Text.Json;

namespace ResticManager.Protocol;

public enum JobKind
{
    Init,
    Backup,
    Forget,
    Prune,
    Check,
    Unlock,
    Stats,
}

/// <summary>Final states an agent reports. <c>Warning</c> is restic's exit code 3: snapshot saved, some files unreadable.</summary>
public enum JobOutcome
{
    Succeeded,
    Warning,
    Failed,
    Cancelled,
}

public enum LogStream
{
    Stdout,
    Stderr,
    Agent,
}

/// <summary>restic's --keep-* rules. A policy with no rule at all is never run: it would forget everything.</summary>
public sealed record RetentionPolicy(
    int? KeepLast = null,
    int? KeepHourly = null,
    int? KeepDaily = null,
    int? KeepWeekly = null,
    int? KeepMonthly = null,
    int? KeepYearly = null,
    string? KeepWithin = null)
{
    public bool IsEmpty => KeepLast is null or 0 && KeepHourly is null or 0 && KeepDaily is null or 0 && KeepWeekly is null or 0
        && KeepMonthly is null or 0 && KeepYearly is null or 0 && string.IsNullOrWhiteSpace(KeepWithin);

    public bool HasNegativeCount => KeepLast < 0 || KeepHourly < 0 || KeepDaily < 0 || KeepWeekly < 0 || KeepMonthly < 0 || KeepYearly < 0;
}

/// <summary>
/// Per-job options; every field optional. <see cref="ReadDataSubset"/> ("n/t": read the n-th of t
/// parts) wins over <see cref="ReadDataSubsetPercent"/>; the maintenance scheduler rotates n so the
/// whole repository is read over t checks.
/// </summary>
public sealed record JobOptions(int? ReadDataSubsetPercent = null, bool? DryRun = null, string? ReadDataSubset = null);

/// <summary>restic's <c>--read-data-subset=n/t</c>: the n-th of t parts of the repository's data.</summary>
public readonly record struct ReadDataSlice(int Part, int Parts)
{
    /// <summary>Strict "n/t" with 1 ≤ n ≤ t, digits only: the text ends up on restic's command line.</summary>
    public static bool TryParse(string? text, out ReadDataSlice slice)
    {
        const System.Globalization.NumberStyles digits = System.Globalization.NumberStyles.None;
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        slice = default;
        if (text?.Split('/') is not [var n, var t] || !int.TryParse(n, digits, culture, out var part) || !int.TryParse(t, digits, culture, out var parts)
            || part < 1 || part > parts)
        {
            return false;
        }

        slice = new ReadDataSlice(part, parts);
        return true;
    }

    /// <summary>The slice of check number <paramref name="run"/> when each check reads <paramref name="percent"/>: the whole repository over ⌈100/percent⌉ checks.</summary>
    public static ReadDataSlice Rotating(int percent, int run)
    {
        var parts = (int)Math.Ceiling(100.0 / percent);
        return new ReadDataSlice(run % parts + 1, parts);
    }

    public override string ToString() => $"{Part}/{Parts}";
}

/// <summary>What a failing (non-zero exit or timed out) hook does to its job.</summary>
public enum HookFailure
{
    /// <summary>Log it and go on as if it had succeeded.</summary>
    Ignore,

    /// <summary>Pre: skip restic, the job ends cancelled. Post: the job ends cancelled (the snapshot stays).</summary>
    Cancel,

    /// <summary>Pre: skip restic, the job fails. Post: the job fails (the snapshot stays).</summary>
    Fail,
}

/// <summary>A shell command run by the agent around a backup (<c>/bin/sh -c</c>, or <c>cmd /c</c> on Windows).</summary>
public sealed record Hook(string Command, int TimeoutSeconds, HookFailure OnError);

public sealed record JobHooks(Hook? Pre = null, Hook? Post = null);

/// <summary>
/// Separate repository access for one forget or prune job (for instance the non-append-only
/// rest-server endpoint). Null fields keep the host's own value. Sent only inside those jobs and
/// never stored by the agent.
/// </summary>
public sealed record RepositoryAccess(string? Url, string? Username, string? Credential, string? Password, IReadOnlyDictionary<string, string>? Env);

/// <summary>
/// Server → agent (<c>cmd/job.run</c>, QoS 1). The agent ignores a job id it has seen before and a
/// command past <see cref="ExpiresAt"/> (the server re-dispatches queued jobs when the agent returns).
/// It waits briefly for the configuration of <see cref="RepositoryVersion"/>, which travels separately.
/// </summary>
public sealed record RunJob(
    string JobId,
    JobKind Kind,
    IReadOnlyList<string>? Paths,
    IReadOnlyList<string>? Excludes,
    IReadOnlyList<string>? Tags,
    RetentionPolicy? Retention,
    JobOptions? Options,
    int? TimeoutSeconds,
    DateTimeOffset ExpiresAt,
    long? RepositoryVersion = null,
    JobHooks? Hooks = null,
    RepositoryAccess? Admin = null);

public sealed record CancelJob(string JobId);

/// <summary>Server → agent: these outbox events are committed by the service that owns them and can be deleted.</summary>
public sealed record Acknowledge(IReadOnlyList<string> EventIds);

/// <summary>
/// Server → agent (<c>cmd/config</c>, QoS 1, never retained): the repository this agent backs up to,
/// with its secrets. Null <see cref="Repository"/> means unbound.
/// </summary>
public sealed record ConfigUpdate(long Version, RepositoryConfig? Repository);

public sealed record RepositoryConfig(
    string Url,
    string Password,
    string? Username,
    string? Credential,
    IReadOnlyDictionary<string, string>? Env,
    int? UploadLimitKBps,
    int? DownloadLimitKBps);

// agent → server. Every event but progress is kept in the agent's outbox until acknowledged, and is
// applied once on the server by its event id ("{jobId}:{seq}").

public interface IOutboxEvent
{
    string EventId { get; }
}

public sealed record JobStarted(string EventId, string JobId, long Seq, JobKind Kind, DateTimeOffset StartedAt) : IOutboxEvent;

public sealed record LogLine(long N, DateTimeOffset At, LogStream Stream, string Text);

/// <summary>A batch of log lines; <see cref="LogLine.N"/> numbers lines per job from 1, without gaps.</summary>
public sealed record JobLog(string EventId, string JobId, long Seq, IReadOnlyList<LogLine> Lines) : IOutboxEvent;

public sealed record JobFinished(
    string EventId,
    string JobId,
    long Seq,
    JobOutcome Outcome,
    int? ExitCode,
    string? Error,
    JsonElement? Summary,
    long LogLines,
    DateTimeOffset FinishedAt) : IOutboxEvent;

/// <summary>Live progress: QoS 0, at most one per second per job, not kept in the outbox.</summary>
public sealed record JobProgress(
    string JobId,
    double? PercentDone,
    long? FilesDone,
    long? TotalFiles,
    long? BytesDone,
    long? TotalBytes,
    long? SecondsElapsed,
    long? SecondsRemaining,
    IReadOnlyList<string>? CurrentFiles,
    DateTimeOffset At);

public sealed record SnapshotInfo(
    string Id,
    string ShortId,
    DateTimeOffset Time,
    string Hostname,
    IReadOnlyList<string> Paths,
    IReadOnlyList<string>? Tags,
    long? SizeBytes,
    long? FileCount);

/// <summary>The host's complete snapshot list: it replaces the catalogue authoritatively.</summary>
public sealed record SnapshotsReport(string EventId, string? JobId, DateTimeOffset ReportedAt, IReadOnlyList<SnapshotInfo> Snapshots) : IOutboxEvent;

public sealed record RepositoryStats(
    string EventId,
    string? JobId,
    DateTimeOffset ReportedAt,
    long? TotalSizeBytes,
    long? SnapshotCount,
    DateTimeOffset? LastCheckAt,
    bool? LastCheckSucceeded,
    bool? LockPresent) : IOutboxEvent;
