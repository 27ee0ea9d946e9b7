namespace ResticManager.Notifications;

/// <summary>A source group's name, from the schedules service's <c>SourceGroupChanged</c>, so messages name the group.</summary>
public sealed class WatchedGroup
{
    public required string HostId { get; init; }
    public required string SourceGroupId { get; init; }
    public required string Name { get; set; }
    public bool Deleted { get; set; }

    /// <summary>The newest change applied; older ones arriving late are ignored.</summary>
    public long Version { get; set; }
}
