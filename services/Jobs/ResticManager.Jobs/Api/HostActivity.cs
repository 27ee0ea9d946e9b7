namespace ResticManager.Jobs;

/// <summary>What the dashboard shows of a host's jobs: its last backup, 30 days of results (oldest first), and its running job.</summary>
public sealed record HostActivity(string HostId, LastBackupView? LastBackup, IReadOnlyList<DayResult> Days, RunningJobView? Running);
