namespace ResticManager.Inventory;

public sealed record HostDetails(
    string Id, string Hostname, string Os, string Arch, string? AgentVersion, string? ResticVersion, int? ProtocolVersion,
    HostStatus Status, DateTimeOffset EnrolledAt, DateTimeOffset? FirstSeenAt, DateTimeOffset? LastSeenAt,
    int HeartbeatIntervalSeconds, DateTimeOffset? RevokedAt, IReadOnlyList<string> Labels);
