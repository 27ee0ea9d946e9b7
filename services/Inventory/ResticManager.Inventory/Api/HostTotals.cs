namespace ResticManager.Inventory;

/// <summary>
/// How many hosts of the caller's scope are in each state; revoked hosts are not counted. <see cref="AgentOutdated"/>
/// counts those whose agent is older than <see cref="LatestAgentVersion"/>, the one this server ships.
/// </summary>
public sealed record HostTotals(int Total, int Online, int Stale, int Offline, int Pending, int AgentOutdated, string LatestAgentVersion);
