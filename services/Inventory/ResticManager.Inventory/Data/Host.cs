using ResticManager.BuildingBlocks;

namespace ResticManager.Inventory;

/// <summary>
/// An enrolled host; its id is the agent id. Every change after enrollment is a conditional
/// single-statement update (see <see cref="Presence"/>), so concurrent consumers never lose one
/// another's writes and redelivered events change nothing.
/// </summary>
public sealed class Host
{
    public required string Id { get; init; }
    public required string Hostname { get; set; }
    public required string Os { get; set; }
    public required string Arch { get; set; }
    public string? AgentVersion { get; set; }
    public string? ResticVersion { get; set; }
    public int? ProtocolVersion { get; set; }

    /// <summary>
    /// Whether the agent was outdated in the last <see cref="ResticManager.Contracts.AgentVersionAssessed"/> published
    /// (null before the first): only a change of it, or of the versions, is published again. The API judges
    /// the stored versions afresh on every read, so a server upgrade shows at once.
    /// </summary>
    public bool? AgentOutdatedAnnounced { get; set; }
    public HostStatus Status { get; set; }

    /// <summary>The <see cref="ResticManager.BuildingBlocks.PresenceVersion"/> of the last presence event applied: larger always means newer.</summary>
    public long PresenceVersion { get; set; } = -1;

    /// <summary>
    /// Counts the changes of <see cref="Status"/>, the version of <see cref="ResticManager.Contracts.HostStateChanged"/>:
    /// presence versions do not move when a host turns stale, is revoked or is found offline after a broker restart.
    /// </summary>
    public long StateVersion { get; set; }

    public DateTime EnrolledAt { get; init; }
    public DateTime? FirstSeenAt { get; set; }
    public DateTime? LastSeenAt { get; set; }
    public int HeartbeatIntervalSeconds { get; set; } = 30;

    /// <summary>When an online host becomes stale if no heartbeat arrives (3 heartbeat intervals after the last).</summary>
    public DateTime? StaleAfter { get; set; }

    public required string CredentialHash { get; set; }

    /// <summary>The same secret hashed in mosquitto's password-file format, for the external broker mode.</summary>
    public string? BrokerPasswordHash { get; set; }
    public DateTime? RevokedAt { get; set; }
}
