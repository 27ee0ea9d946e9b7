namespace ResticManager.Contracts;

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
