namespace ResticManager.Contracts;

/// <summary>
/// Published by the inventory (through its outbox) when a hello changes how a host's agent compares with the
/// version this server ships: its first hello, a new agent or protocol version, or <see cref="Outdated"/>
/// turning over (the server was upgraded); not at every reconnect. <see cref="EventId"/> is the hello's, so a
/// redelivery is recognised. Notifications raise <c>agentOutdated</c> on it, and its recovery.
/// </summary>
public record AgentVersionAssessed(
    string AgentId,
    string EventId,
    string Hostname,
    string AgentVersion,
    int ProtocolVersion,
    string ShippedAgentVersion,
    int ShippedProtocolVersion,
    bool Outdated,
    DateTimeOffset At);
