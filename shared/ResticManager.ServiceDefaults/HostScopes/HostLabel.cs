namespace ResticManager.ServiceDefaults;

/// <summary>
/// One label of one host, a row per label so a list filters by scope in SQL (an <c>IN</c> over an
/// indexed column). The inventory owns them; jobs, schedules and snapshots keep a copy from
/// <c>HostLabelsChanged</c>, in the same table shape (see <see cref="HostLabelStore"/>).
/// </summary>
public sealed class HostLabel
{
    public required string HostId { get; init; }
    public required string Label { get; init; }
}
