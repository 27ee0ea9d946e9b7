namespace ResticManager.Contracts;

/// <summary>
/// Published by the inventory (through its outbox) whenever a host's presence changes: online, stale
/// (heartbeats stopped on an open connection), offline, revoked. <see cref="Version"/> grows with every
/// change of one host, so a consumer keeps the newest and ignores older ones arriving late or again.
/// </summary>
public record HostStateChanged(string HostId, string Hostname, HostState State, HostState Previous, long Version, DateTimeOffset At);
