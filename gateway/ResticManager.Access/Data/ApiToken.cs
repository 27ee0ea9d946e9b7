using ResticManager.BuildingBlocks;
using ResticManager.ServiceDefaults;

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

    /// <summary>A new token: of its secret only the hash is kept.</summary>
    public static ApiToken Issue(string id, string name, string secret, IEnumerable<Grant> grants, DateTime createdAt) => new()
    {
        Id = id,
        Name = name,
        TokenHash = SecretTokens.Hash(secret),
        Grants = Grant.FormatList(grants),
        CreatedAt = createdAt,
    };
}
