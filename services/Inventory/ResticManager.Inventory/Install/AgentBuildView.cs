namespace ResticManager.Inventory;

/// <summary>One agent build: where to download it and the SHA-256 to check it against.</summary>
public sealed record AgentBuildView(string Platform, string Sha256, long Size, string Url);
