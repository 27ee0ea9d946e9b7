using ResticManager.BuildingBlocks;

namespace ResticManager.Inventory;

/// <summary>The agent's status message: connection <see cref="ConnectionSeq"/> of host <see cref="HostId"/> went up or down at <see cref="At"/>.</summary>
public readonly record struct PresenceStatus(string HostId, bool Online, long ConnectionSeq, DateTime At)
{
    public long Version => PresenceVersion.Of(ConnectionSeq, Online);
}
