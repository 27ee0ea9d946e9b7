namespace ResticManager.Jobs;

/// <summary>A <c>host</c> event of the fleet stream: the host's agent connected or went away.</summary>
public sealed record HostPresenceView(string HostId, bool Online, DateTimeOffset At);
