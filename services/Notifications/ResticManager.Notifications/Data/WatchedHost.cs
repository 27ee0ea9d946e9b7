namespace ResticManager.Notifications;

/// <summary>
/// This service's projection of a host, fed by inventory, jobs and schedules events: what a message
/// names (hostname), what rules and the fleet stream need (presence, last backup).
/// </summary>
public sealed class WatchedHost
{
    public const int MaxErrorLength = 1000;

    public required string Id { get; init; }
    public string? Hostname { get; set; }

    /// <summary>online, stale, offline, pending or revoked (<see cref="Contracts.HostState"/>, camelCase).</summary>
    public Contracts.HostState State { get; set; } = Contracts.HostState.Pending;

    /// <summary>The inventory's presence version of <see cref="State"/>: older changes arriving late are ignored.</summary>
    public long StateVersion { get; set; }
    public DateTime? StateSince { get; set; }

    public string? AgentVersion { get; set; }

    /// <summary>The last finished backup of any group on this host.</summary>
    public string? LastBackupJobId { get; set; }
    public Contracts.JobStatus? LastBackupStatus { get; set; }
    public DateTime? LastBackupAt { get; set; }
    public DateTime? LastSuccessAt { get; set; }
    public string? LastBackupError { get; set; }
}
