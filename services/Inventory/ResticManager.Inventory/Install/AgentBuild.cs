namespace ResticManager.Inventory;

/// <summary>One agent build the server hands out, with the SHA-256 the server computed itself at start.</summary>
/// <param name="Platform">Runtime identifier such as <c>linux-x64</c>.</param>
/// <param name="FileName">The file's name, as downloads save it.</param>
/// <param name="FilePath">Where the file is on this server.</param>
public sealed record AgentBuild(string Platform, string FileName, string FilePath, string Sha256, long Size);
