namespace ResticManager.Inventory;

/// <summary>
/// A host in the list. <see cref="AgentOutdated"/>: its agent is older than <see cref="LatestAgentVersion"/>, the
/// one this server ships, or speaks an older protocol; false before its first hello.
/// </summary>
public sealed record HostSummary(
    string Id, string Hostname, string Os, string Arch, string? AgentVersion, string? ResticVersion, HostStatus Status, DateTimeOffset? LastSeenAt, IReadOnlyList<string> Labels,
    bool AgentOutdated, string LatestAgentVersion);
