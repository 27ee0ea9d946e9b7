namespace ResticManager.Contracts;

/// <summary>A host's presence as the inventory decides it.</summary>
public enum HostState
{
    Pending,
    Online,
    Stale,
    Offline,
    Revoked,
}
