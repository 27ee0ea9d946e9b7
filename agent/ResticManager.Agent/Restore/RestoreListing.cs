using System.Text.Json;
using ResticManager.Agent.Restic;
using ResticManager.Protocol;

namespace ResticManager.Agent.Restore;

/// <summary>
/// What <c>restic ls --json --recursive</c> says about the requested paths: the snapshot's own paths
/// (its header line, <c>struct_type</c> or <c>message_type</c> <c>snapshot</c>) and the nodes below
/// the requested paths, parents before children.
/// </summary>
public sealed record RestoreListing(IReadOnlyList<string>? SnapshotPaths, IReadOnlyList<ResticNode> Nodes)
{
    public static RestoreListing Parse(IEnumerable<string> lines, IReadOnlyList<string> requested)
    {
        IReadOnlyList<string>? snapshotPaths = null;
        var nodes = new List<ResticNode>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var roots = requested.Select(RestorePaths.Trim).ToHashSet(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            if (ResticNode.TryParse(line, out var node))
            {
                // Only what lies within a requested path is restored, whatever else ls prints.
                if (Within(node.Path, roots) && seen.Add(node.Path))
                {
                    nodes.Add(node);
                }
            }
            else if (snapshotPaths is null && ResticOutput.TryParseLine(line, out var json) && IsSnapshot(json)
                && json.TryGetProperty("paths", out var paths) && paths.ValueKind == JsonValueKind.Array)
            {
                snapshotPaths = paths.EnumerateArray().Where(p => p.ValueKind == JsonValueKind.String).Select(p => p.GetString()!).ToList();
            }
        }

        return new RestoreListing(snapshotPaths, nodes);
    }

    /// <summary>The path or one of its folders is a requested path: a look-up per folder level, not a comparison per requested path.</summary>
    static bool Within(string path, HashSet<string> roots)
    {
        for (var current = path; ; )
        {
            if (roots.Contains(current))
            {
                return true;
            }

            var slash = current.LastIndexOf('/');
            if (slash <= 0)
            {
                return slash == 0 && roots.Contains("/");
            }

            current = current[..slash];
        }
    }

    static bool IsSnapshot(JsonElement json) =>
        json.ValueKind == JsonValueKind.Object
        && ((json.TryGetProperty("struct_type", out var s) && s.ValueKind == JsonValueKind.String && s.ValueEquals("snapshot"))
            || (json.TryGetProperty("message_type", out var m) && m.ValueKind == JsonValueKind.String && m.ValueEquals("snapshot")));
}
