namespace ResticManager.Access;

/// <summary>One row of the audit log: an <see cref="Contracts.OperatorActed"/> as stored, keyed by its event id.</summary>
public sealed class AuditEntry
{
    /// <summary>The event id: time-ordered (<see cref="BuildingBlocks.Ids"/>), so it is also the paging cursor.</summary>
    public required string Id { get; init; }
    public DateTime At { get; init; }
    public required string ActorId { get; init; }
    public required string ActorName { get; init; }
    /// <summary>The actor's grants at the time, as <c>role@scope</c> text.</summary>
    public required string ActorGrants { get; init; }
    public required string Action { get; init; }
    public string? HostId { get; init; }
    /// <summary>The other route values and whitelisted query values, as a JSON object.</summary>
    public required string Targets { get; init; }
    public string? Detail { get; init; }
    public string? ClientAddress { get; init; }
    public int Result { get; init; }
}
