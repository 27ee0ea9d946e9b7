namespace ResticManager.Contracts;

/// <summary>
/// An agent's presence changed. <see cref="ConnectionSeq"/> orders connections of one agent; an offline
/// supersedes the online of the same connection. Consumers apply it only if it is newer than what
/// they have, so duplicates and reordering change nothing.
/// </summary>
public record AgentPresenceChanged(string AgentId, bool Online, long ConnectionSeq, DateTimeOffset At, string Cause);

/// <summary>The agent said hello on a new connection.</summary>
public record AgentHelloReceived(
    string AgentId,
    string EventId,
    int ProtocolVersion,
    long ConnectionSeq,
    string Hostname,
    string Os,
    string Arch,
    string AgentVersion,
    string? ResticVersion,
    int HeartbeatIntervalSeconds,
    DateTimeOffset SentAt,
    DateTimeOffset ReceivedAt);

public record AgentHeartbeatReceived(string AgentId, string EventId, long ConnectionSeq, DateTimeOffset SentAt, DateTimeOffset ReceivedAt);

/// <summary>
/// Request from the broker at MQTT CONNECT. Carries the SHA-256 of the presented secret, never the secret.
/// </summary>
public record AuthenticateAgent(string AgentId, string SecretHash);

public record AgentAuthenticationResult(bool Accepted, bool Revoked);

/// <summary>A host was revoked: its credentials no longer work and its live connection must close.</summary>
public record HostRevoked(string AgentId, DateTimeOffset RevokedAt);

/// <summary>
/// The embedded broker started: whatever connections the previous broker held are gone, so hosts
/// still marked connected are offline until their agent reconnects.
/// </summary>
public record BrokerStarted(string BrokerId, DateTimeOffset StartedAt);
