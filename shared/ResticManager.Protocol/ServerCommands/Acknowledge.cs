namespace ResticManager.Protocol;

/// <summary>Server → agent: these outbox events are committed by the service that owns them and can be deleted.</summary>
public sealed record Acknowledge(IReadOnlyList<string> EventIds);
