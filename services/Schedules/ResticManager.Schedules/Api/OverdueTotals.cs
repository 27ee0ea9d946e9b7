namespace ResticManager.Schedules;

/// <summary>How many source groups of the caller's hosts are overdue, and on how many hosts.</summary>
public sealed record OverdueTotals(int Groups, int Hosts);
