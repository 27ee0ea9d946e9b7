using ResticManager.Contracts;

namespace ResticManager.Jobs;

/// <summary>The newest backup of a host that ended, whenever that was.</summary>
public sealed record LastBackupView(string JobId, JobStatus Status, DateTimeOffset? FinishedAt);
