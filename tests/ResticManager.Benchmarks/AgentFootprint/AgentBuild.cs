using System.Text.Json;

/// <summary>One entry of <c>agent-builds/builds.json</c> (packaging/build.sh): a platform's file and its size.</summary>
sealed record AgentBuild(string Platform, string File, long Size)
{
    public static IReadOnlyList<AgentBuild> ReadAll(string agentBuilds)
    {
        var list = Path.Combine(agentBuilds, "builds.json");
        if (!System.IO.File.Exists(list))
        {
            throw new FileNotFoundException($"{list} is missing: run packaging/build.sh --out <DIR> and pass --builds <DIR>");
        }

        using var doc = JsonDocument.Parse(System.IO.File.ReadAllText(list));
        return doc.RootElement.GetProperty("builds").EnumerateArray()
            .Select(b => new AgentBuild(b.GetProperty("platform").GetString()!, Path.Combine(agentBuilds, b.GetProperty("file").GetString()!), b.GetProperty("size").GetInt64()))
            .ToList();
    }
}
