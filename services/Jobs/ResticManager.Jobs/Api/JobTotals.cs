namespace ResticManager.Jobs;

/// <summary>
/// Jobs of the caller's hosts: <see cref="Running"/> counts the ones sent to their agent (dispatched or
/// running), <see cref="Queued"/> those waiting; the others count jobs of every kind that ended in the last 24 hours
/// (a lost one as failed, as on the activity strip).
/// </summary>
public sealed record JobTotals(int Running, int Queued, int FailedLast24h, int WarningLast24h, int SucceededLast24h);
