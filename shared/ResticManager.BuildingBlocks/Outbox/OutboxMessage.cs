namespace ResticManager.BuildingBlocks;

/// <summary>
/// A bus message waiting to be published, written in the same transaction as the change it
/// announces; the dispatcher deletes it once the broker has confirmed the publish.
/// </summary>
public sealed class OutboxMessage
{
    public long Id { get; init; }

    /// <summary>The contract's type and assembly name, without version (contracts never move namespace).</summary>
    public required string Type { get; init; }

    public required string Body { get; init; }
    public DateTime CreatedAt { get; init; }
}
