namespace ResticManager.ServiceDefaults;

/// <summary>
/// The version of a host's current labels: a change applies only when newer, so a late or repeated
/// <c>HostLabelsChanged</c> changes nothing. A revoked host keeps its row and labels (it can still
/// be read, by the same callers as before); no host is ever deleted, so no row is.
/// </summary>
public sealed class HostLabelSet
{
    public required string HostId { get; init; }
    public long Version { get; set; }
    public DateTime ChangedAt { get; set; }
}
