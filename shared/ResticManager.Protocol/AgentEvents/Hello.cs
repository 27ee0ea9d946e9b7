namespace ResticManager.Protocol;

/// <summary>The agent's first message on every connection.</summary>
public sealed record Hello(
    string EventId,
    int ProtocolVersion,
    long ConnectionSeq,
    string Hostname,
    string Os,
    string Arch,
    string AgentVersion,
    string? ResticVersion,
    int HeartbeatIntervalSeconds,
    DateTimeOffset SentAt);
