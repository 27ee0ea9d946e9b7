namespace ResticManager.Inventory;

/// <summary>
/// One host. <see cref="AgentOutdated"/>: its agent is older than <see cref="LatestAgentVersion"/>, the one this
/// server ships, or speaks an older protocol; false before its first hello. The agent never updates itself.
/// </summary>
public sealed record HostDetails(
    string Id, string Hostname, string Os, string Arch, string? AgentVersion, string? ResticVersion, int? ProtocolVersion,
    HostStatus Status, DateTimeOffset EnrolledAt, DateTimeOffset? FirstSeenAt, DateTimeOffset? LastSeenAt,
    int HeartbeatIntervalSeconds, DateTimeOffset? RevokedAt, IReadOnlyList<string> Labels,
    bool AgentOutdated, string LatestAgentVersion);
