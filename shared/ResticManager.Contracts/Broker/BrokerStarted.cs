namespace ResticManager.Contracts;

/// <summary>
/// The embedded broker started: whatever connections the previous broker held are gone, so hosts
/// still marked connected are offline until their agent reconnects.
/// </summary>
public record BrokerStarted(string BrokerId, DateTimeOffset StartedAt);
