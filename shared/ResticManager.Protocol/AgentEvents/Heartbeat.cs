namespace ResticManager.Protocol;

/// <summary>Liveness plus light metrics; new optional fields may be added without a version bump.</summary>
public sealed record Heartbeat(string EventId, long ConnectionSeq, DateTimeOffset SentAt, long? UptimeSeconds = null);
