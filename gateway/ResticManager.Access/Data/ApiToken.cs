namespace ResticManager.Access;

public sealed class ApiToken
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public required string TokenHash { get; init; }
    public required string Role { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime? RevokedAt { get; set; }
}
