using System.Globalization;
using System.Text.Json;
using ResticManager.Protocol;

namespace ResticManager.Agent.Restic;

/// <summary>
/// One node line of <c>restic ls --json</c> (0.14 marks it <c>struct_type: node</c>, 0.17 adds
/// <c>message_type: node</c>); the snapshot line and anything else is not a node. Shared by browsing
/// and by the restore planner.
/// </summary>
public sealed record ResticNode(string Name, string Path, EntryType Type, long? Size, DateTimeOffset? Mtime, string? Permissions, string? LinkTarget)
{
    public static bool TryParse(string line, out ResticNode node)
    {
        node = null!;
        if (!ResticOutput.TryParseLine(line, out var json) || json.ValueKind != JsonValueKind.Object
            || !(Is(json, "struct_type", "node") || Is(json, "message_type", "node"))
            || String(json, "path") is not { Length: > 0 } path)
        {
            return false;
        }

        node = new ResticNode(
            String(json, "name") ?? System.IO.Path.GetFileName(path),
            path,
            String(json, "type") switch
            {
                "file" => EntryType.File,
                "dir" => EntryType.Dir,
                "symlink" => EntryType.Symlink,
                _ => EntryType.Other,
            },
            json.TryGetProperty("size", out var size) && size.TryGetInt64(out var bytes) ? bytes : null,
            String(json, "mtime") is { } mtime && DateTimeOffset.TryParse(mtime, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : null,
            String(json, "permissions"),
            String(json, "linktarget"));
        return true;
    }

    public TreeEntry ToEntry() => new(Name, Path, Type, Type == EntryType.Dir ? null : Size, Mtime, Permissions);

    static bool Is(JsonElement json, string property, string value) =>
        json.TryGetProperty(property, out var p) && p.ValueKind == JsonValueKind.String && p.ValueEquals(value);

    static string? String(JsonElement json, string property) =>
        json.TryGetProperty(property, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
}
