namespace ResticManager.Contracts;

/// <summary>
/// Something an operator did that the audit log keeps (browse, search, diff, download, restore).
/// Published by the service that did it, after it succeeded; the audit log of a later issue consumes it.
/// <see cref="Action"/> is one of <see cref="OperatorActions"/>; <see cref="Detail"/> is free text
/// (a pattern, a restore target), never a secret.
/// </summary>
public sealed record OperatorActed(
    string EventId, DateTimeOffset At, string ActorId, string ActorName, string Action,
    string HostId, string? SnapshotId = null, string? Path = null, string? Detail = null);
