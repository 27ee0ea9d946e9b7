using Microsoft.EntityFrameworkCore;
using ResticManager.Contracts;
using ResticManager.Protocol;

namespace ResticManager.Jobs;

public sealed class Job
{
    public required string Id { get; init; }
    public required string HostId { get; init; }
    public JobKind Kind { get; init; }
    public JobStatus Status { get; set; }

    /// <summary>paths, excludes, tags, retention, options as sent to the agent (JSON).</summary>
    public required string RequestJson { get; init; }
    public int? TimeoutSeconds { get; init; }
    public string? CreatedBy { get; init; }
    public string? ScheduleId { get; init; }
    public string? SourceGroupId { get; init; }

    /// <summary>The caller's idempotency key (<see cref="QueueJob.RequestId"/>): asking again returns this job.</summary>
    public string? RequestId { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? DispatchedAt { get; set; }

    /// <summary>The host's presence version the job was last sent on; a newer connection gets it again.</summary>
    public long DispatchedOnPresence { get; set; } = -1;
    public DateTime? StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    public int? ExitCode { get; set; }
    public string? Error { get; set; }
    public string? SummaryJson { get; set; }
    public long LogLines { get; set; }
    public bool CancelRequested { get; set; }

    public bool IsFinal => IsFinalStatus(Status);

    public static bool IsFinalStatus(JobStatus status) => status is JobStatus.Succeeded or JobStatus.Warning or JobStatus.Failed or JobStatus.Cancelled or JobStatus.Missed;
}
