namespace ResticManager.Contracts;

/// <summary>
/// One request an operator made that the audit log keeps: every state change under <c>/api</c> and every
/// browse, search, diff and download. Published by the process that answered it, after it answered; the
/// access module stores it once per <see cref="EventId"/>.
/// <see cref="Action"/> is the endpoint's method and route template (<c>POST /api/hosts/{hostId}/restores</c>);
/// <see cref="ActorGrants"/> the actor's grants as <c>role@scope</c> text; <see cref="Targets"/> the other
/// route values (snapshotId, jobId …) and the whitelisted query values (path, pattern);
/// <see cref="Detail"/> what the endpoint added (a restore target). Never a body, a header or a secret.
/// <see cref="Result"/> is the HTTP status code of the answer.
/// </summary>
public sealed record OperatorActed(
    string EventId,
    DateTimeOffset At,
    string ActorId,
    string ActorName,
    string ActorGrants,
    string Action,
    string? HostId,
    IReadOnlyDictionary<string, string> Targets,
    string? Detail,
    string? ClientAddress,
    int Result);
