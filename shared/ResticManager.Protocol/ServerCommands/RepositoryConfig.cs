namespace ResticManager.Protocol;

public sealed record RepositoryConfig(
    string Url,
    string Password,
    string? Username,
    string? Credential,
    IReadOnlyDictionary<string, string>? Env,
    int? UploadLimitKBps,
    int? DownloadLimitKBps);
