using ResticManager.BuildingBlocks;

namespace ResticManager.Schedules;

/// <summary>A group's backup health: <c>overdue</c> when its last success is older than its schedules allow.</summary>
public sealed record BackupStatus(bool Overdue, DateTimeOffset? OverdueSince, DateTimeOffset? LastSuccessAt, string? LastSuccessJobId, TimeSpan? ExpectedInterval)
{
    /// <summary>The status of a group no schedule covers yet.</summary>
    public static BackupStatus Unscheduled(SourceGroup group) => new(false, null, group.LastSuccessAt.AsUtc(), group.LastSuccessJobId, null);
}
