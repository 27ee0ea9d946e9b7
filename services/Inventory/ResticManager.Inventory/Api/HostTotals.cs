namespace ResticManager.Inventory;

/// <summary>How many hosts of the caller's scope are in each state; revoked hosts are not counted.</summary>
public sealed record HostTotals(int Total, int Online, int Stale, int Offline, int Pending);
