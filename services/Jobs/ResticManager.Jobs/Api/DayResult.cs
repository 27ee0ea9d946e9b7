namespace ResticManager.Jobs;

/// <summary>One UTC day of a host's backups.</summary>
public sealed record DayResult(DateOnly Date, DayOutcome Result);
