using ResticManager.Contracts;
using ResticManager.Protocol;

namespace ResticManager.Jobs;

/// <summary>The job a host's agent has now (dispatched or running), of any kind.</summary>
public sealed record RunningJobView(string JobId, JobKind Kind, JobStatus Status, DateTimeOffset? StartedAt);
