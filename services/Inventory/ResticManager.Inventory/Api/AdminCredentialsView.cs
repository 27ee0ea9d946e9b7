namespace ResticManager.Inventory;

/// <summary>What a GET shows: never a secret, only whether one is set and which env names exist.</summary>
public sealed record AdminCredentialsView(string? Url, string? Username, bool HasCredential, bool HasPassword, IReadOnlyList<string> EnvNames, DateTimeOffset UpdatedAt);
