namespace ResticManager.Jobs;

/// <summary>
/// One event for browsers. On a job's own stream: <c>state</c>, <c>progress</c> or <c>log</c> (whose id is
/// the line number). On the fleet stream: <c>job</c>, <c>progress</c>, <c>host</c>, <c>snapshots</c> or
/// <c>overdue</c>, with the host it concerns (for the caller's scope) and an id <c>epoch-seq</c>.
/// </summary>
public sealed record LiveEvent(string Type, string? Id, object Data, bool Final = false, string? HostId = null);
