namespace ResticManager.Contracts;

/// <summary>An overdue source group has a successful backup again.</summary>
public record SourceGroupCaughtUp(string HostId, string SourceGroupId, string Name, DateTimeOffset LastSuccessAt);
