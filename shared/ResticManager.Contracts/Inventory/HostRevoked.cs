namespace ResticManager.Contracts;

/// <summary>A host was revoked: its credentials no longer work and its live connection must close.</summary>
public record HostRevoked(string AgentId, DateTimeOffset RevokedAt);
