namespace ResticManager.Schedules;

public sealed record OverdueGroupView(string HostId, string SourceGroupId, string Name, DateTimeOffset? LastSuccessAt, DateTimeOffset OverdueSince);
