namespace ResticManager.Contracts;

public record AgentHeartbeatReceived(string AgentId, string EventId, long ConnectionSeq, DateTimeOffset SentAt, DateTimeOffset ReceivedAt);
