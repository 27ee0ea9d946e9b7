using System.Text.Json;
using System.Text.Json.Nodes;
using ResticManager.Contracts;
using ResticManager.Protocol;
using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

namespace ResticManager.Jobs;

/// <summary>A job as the API shows it; <see cref="Summary"/> is restic's, with camelCase names.</summary>
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
    JsonNode? Summary,
    long LogLines,
    bool CancelRequested,
    HookPresence? HookPresence = null)
{
    /// <summary>Without the hook commands (which may hold secrets), for callers who are not an admin of the job's host.</summary>
    public JobView HidingHooks(bool hide) => hide && Request.Hooks is not null ? this with { Request = Request with { Hooks = null } } : this;

    public static JobView From(Job job) => new(
        job.Id, job.HostId, job.Kind, job.Status,
        JsonSerializer.Deserialize<JobRequest>(job.RequestJson, WireJson.Options)!,
        job.TimeoutSeconds, job.ScheduleId, job.SourceGroupId, job.CreatedAt.AsUtc(), job.DispatchedAt.AsUtc(), job.StartedAt.AsUtc(), job.FinishedAt.AsUtc(),
        job.ExitCode, job.Error, job.SummaryJson is null ? null : SummaryNames.ToCamelCase(JsonSerializer.Deserialize<JsonElement>(job.SummaryJson)), job.LogLines, job.CancelRequested,
        ServiceDefaults.HookPresence.Of(JsonSerializer.Deserialize<JobRequest>(job.RequestJson, WireJson.Options)?.Hooks));
}
