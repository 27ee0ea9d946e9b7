namespace ResticManager.Agent.Restore;

/// <summary>What happens to one file of a restore, and why when it is not written.</summary>
public readonly record struct RestoreDecision(RestoreAction Action, string? Reason = null);
