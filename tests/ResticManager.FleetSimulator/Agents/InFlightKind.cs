namespace ResticManager.FleetSimulator.Agents;

/// <summary>What a QoS 1 packet awaiting its PUBACK (or SUBACK) was.</summary>
internal enum InFlightKind : byte
{
    Subscribe,
    OnlineStatus,
    Hello,
    Event,
    OfflineStatus,
}
