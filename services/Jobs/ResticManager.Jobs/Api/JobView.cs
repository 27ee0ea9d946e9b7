using System.Text.Json;
using ResticManager.Contracts;
using ResticManager.Protocol;

using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Jobs;

public sealed record JobView(
    string Id,
    string HostId,
    JobKind Kind,
    JobStatus Status,
    JobRequest Request,
    int? TimeoutSeconds,
    string? ScheduleId,
    string? SourceGroupId,
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
        job.TimeoutSeconds, job.ScheduleId, job.SourceGroupId, job.CreatedAt.AsUtc(), job.DispatchedAt.AsUtc(), job.StartedAt.AsUtc(), job.FinishedAt.AsUtc(),
        job.ExitCode, job.Error, job.SummaryJson is null ? null : JsonSerializer.Deserialize<JsonElement>(job.SummaryJson), job.LogLines, job.CancelRequested);
}
