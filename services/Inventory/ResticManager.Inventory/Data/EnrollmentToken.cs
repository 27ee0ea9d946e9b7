namespace ResticManager.Inventory;

/// <summary>A one-time enrollment token; only its hash is stored.</summary>
public sealed class EnrollmentToken
{
    public required string Id { get; init; }
    public required string TokenHash { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime ExpiresAt { get; init; }
    public string? CreatedBy { get; init; }
    public DateTime? UsedAt { get; set; }
    public string? UsedByAgentId { get; set; }
}
