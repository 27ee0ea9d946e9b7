using ResticManager.Protocol;

namespace ResticManager.Contracts;

/// <summary>Published by the jobs service at every state change of a job.</summary>
public record JobStateChanged(
    string JobId, string HostId, JobKind Kind, JobStatus Status, DateTimeOffset At, int? ExitCode, string? Error,
    string? ScheduleId = null, string? SourceGroupId = null);
