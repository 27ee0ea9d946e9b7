namespace ResticManager.Contracts;

/// <summary>
/// A source group was created, renamed or deleted (published by the schedules service through its outbox),
/// so other services can name it. <see cref="Version"/> grows with every change of one group.
/// </summary>
public record SourceGroupChanged(string HostId, string SourceGroupId, string Name, bool Deleted, long Version, DateTimeOffset At);
