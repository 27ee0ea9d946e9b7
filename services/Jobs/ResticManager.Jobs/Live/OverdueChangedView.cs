namespace ResticManager.Jobs;

/// <summary>An <c>overdue</c> event of the fleet stream: a source group became overdue or caught up.</summary>
public sealed record OverdueChangedView(string HostId, string SourceGroupId, bool Overdue);
