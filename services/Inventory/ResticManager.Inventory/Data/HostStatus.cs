namespace ResticManager.Inventory;

public enum HostStatus
{
    Pending,
    Online,
    Stale,
    Offline,
    Revoked,
}
