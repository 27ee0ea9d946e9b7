using Microsoft.Extensions.Configuration;

namespace ResticManager.BuildingBlocks;

public static class DataPath
{
    /// <summary>The folder of a process's files (SQLite databases, the master key): <c>Data:Path</c>, default <c>./data</c>.</summary>
    public static string GetDataPath(this IConfiguration configuration) =>
        Path.GetFullPath(configuration["Data:Path"] is { Length: > 0 } path ? path : "data");
}
