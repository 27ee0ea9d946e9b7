namespace ResticManager.Contracts;

/// <summary>A source group's last successful backup is older than its schedules allow.</summary>
public record SourceGroupOverdue(string HostId, string SourceGroupId, string Name, DateTimeOffset? LastSuccessAt, TimeSpan ExpectedInterval, DateTimeOffset DetectedAt);
