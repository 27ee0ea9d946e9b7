namespace ResticManager.Access;

public sealed class ApiToken
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public required string TokenHash { get; init; }
    /// <summary>The token's grants in <see cref="ServiceDefaults.Grant.FormatList"/> form.</summary>
    public required string Grants { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime? RevokedAt { get; set; }
}
