namespace ResticManager.Inventory;

public sealed record PutRepositoryRequest(
    string? Url, string? Password, string? Username, string? Credential, Dictionary<string, string>? Env, int? UploadLimitKBps, int? DownloadLimitKBps);
