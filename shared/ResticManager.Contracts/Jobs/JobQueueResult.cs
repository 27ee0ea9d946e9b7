namespace ResticManager.Contracts;

/// <summary><see cref="JobId"/> is null when refused; <see cref="Problem"/> then says why (host unknown, revoked or unbound).</summary>
public record JobQueueResult(string? JobId, bool Coalesced, string? Problem, bool HostMissing = false);
