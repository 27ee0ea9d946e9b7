namespace ResticManager.Snapshots;

/// <summary>
/// The repositories of the caller's hosts: the sum of each host's last reported repository size, and
/// how many hosts reported one. Hosts sharing a repository each count it once.
/// </summary>
public sealed record RepositoryTotals(long TotalSizeBytes, int HostsReporting);
