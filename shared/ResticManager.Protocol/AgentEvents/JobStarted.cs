namespace ResticManager.Protocol;

public sealed record JobStarted(string EventId, string JobId, long Seq, JobKind Kind, DateTimeOffset StartedAt) : IOutboxEvent;
