namespace ResticManager.Inventory;

/// <summary>What a GET shows: never a secret, only whether one is set and which env names exist.</summary>
public sealed record RepositoryView(
    string Url, string? Username, bool HasPassword, bool HasCredential, IReadOnlyList<string> EnvNames,
    int? UploadLimitKBps, int? DownloadLimitKBps, long Version, DateTimeOffset UpdatedAt, bool HasAdminCredentials);
