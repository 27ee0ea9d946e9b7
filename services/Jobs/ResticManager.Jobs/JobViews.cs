using System.Text.Json;
using ResticManager.Contracts;
using ResticManager.Protocol;

namespace ResticManager.Jobs;

public sealed record JobRequest(
    IReadOnlyList<string>? Paths, IReadOnlyList<string>? Excludes, IReadOnlyList<string>? Tags, RetentionPolicy? Retention, JobOptions? Options);

public sealed record JobView(
    string Id,
    string HostId,
    JobKind Kind,
    JobStatus Status,
    JobRequest Request,
    int? TimeoutSeconds,
    string? ScheduleId,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DispatchedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    int? ExitCode,
    string? Error,
    JsonElement? Summary,
    long LogLines,
    bool CancelRequested)
{
    public static JobView From(Job job) => new(
        job.Id, job.HostId, job.Kind, job.Status,
        JsonSerializer.Deserialize<JobRequest>(job.RequestJson, WireJson.Options)!,
        job.TimeoutSeconds, job.ScheduleId, Utc(job.CreatedAt)!.Value, Utc(job.DispatchedAt), Utc(job.StartedAt), Utc(job.FinishedAt),
        job.ExitCode, job.Error, job.SummaryJson is null ? null : JsonSerializer.Deserialize<JsonElement>(job.SummaryJson), job.LogLines, job.CancelRequested);

    static DateTimeOffset? Utc(DateTime? value) => value is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;
}

public sealed record LogLineView(long N, DateTimeOffset At, LogStream Stream, string Text)
{
    public static LogLineView From(JobLogLine line) => new(line.N, new DateTimeOffset(DateTime.SpecifyKind(line.At, DateTimeKind.Utc)), line.Stream, line.Text);
}
