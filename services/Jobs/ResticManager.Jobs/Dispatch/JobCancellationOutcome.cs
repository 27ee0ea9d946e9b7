namespace ResticManager.Jobs;

/// <summary>The job as it stands after a cancel request (null: no such job), and whether it had already ended.</summary>
public sealed record JobCancellationOutcome(Job? Job, bool AlreadyOver);
