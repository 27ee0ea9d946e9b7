namespace ResticManager.Inventory;

public sealed record HostSummary(
    string Id, string Hostname, string Os, string Arch, string? AgentVersion, string? ResticVersion, HostStatus Status, DateTimeOffset? LastSeenAt, IReadOnlyList<string> Labels);
