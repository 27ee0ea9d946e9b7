using System.Text.Json;
using ResticManager.Agent.Json;
using ResticManager.Protocol;

namespace ResticManager.Agent.Restic;

/// <summary>
/// Tolerant readers of restic's JSON (0.14 to 0.18): every field is optional, unknown fields are
/// ignored, and anything that is not the expected JSON is simply not a match.
/// </summary>
public static class ResticOutput
{
    public static bool TryParseLine(string line, out JsonElement json)
    {
        json = default;
        var trimmed = line.AsSpan().Trim();
        if (trimmed.Length < 2 || (trimmed[0] != '{' && trimmed[0] != '['))
        {
            return false;
        }

        try
        {
            using var doc = JsonDocument.Parse(line);
            json = doc.RootElement.Clone();
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// A status line, recognised without parsing it: restic writes <c>message_type</c> first. A line in
    /// another shape is still recognised by <see cref="MessageType"/> once parsed.
    /// </summary>
    public static bool IsStatusLine(string line) => line.StartsWith(StatusPrefix, StringComparison.Ordinal);

    const string StatusPrefix = "{\"message_type\":\"status\"";

    public static string? MessageType(JsonElement json) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty("message_type", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString() : null;

    public static JobProgress ToProgress(string jobId, JsonElement status, DateTimeOffset at) => new(
        jobId,
        Double(status, "percent_done"),
        Long(status, "files_done"),
        Long(status, "total_files"),
        Long(status, "bytes_done"),
        Long(status, "total_bytes"),
        Long(status, "seconds_elapsed"),
        Long(status, "seconds_remaining"),
        status.TryGetProperty("current_files", out var files) && files.ValueKind == JsonValueKind.Array
            ? files.EnumerateArray().Where(f => f.ValueKind == JsonValueKind.String).Select(f => f.GetString()!).Take(5).ToList()
            : null,
        at);

    /// <summary>The array printed by <c>restic snapshots --json</c>; null when the output is not that.</summary>
    public static IReadOnlyList<SnapshotInfo>? ParseSnapshots(string stdout)
    {
        if (!TryParseLine(stdout.Trim(), out var json) || json.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var snapshots = new List<SnapshotInfo>();
        foreach (var s in json.EnumerateArray())
        {
            if (s.ValueKind != JsonValueKind.Object || String(s, "id") is not { } id)
            {
                continue;
            }

            var summary = s.TryGetProperty("summary", out var sum) && sum.ValueKind == JsonValueKind.Object ? sum : default;
            snapshots.Add(new SnapshotInfo(
                id,
                String(s, "short_id") ?? id[..Math.Min(8, id.Length)],
                s.TryGetProperty("time", out var time) && time.TryGetDateTimeOffset(out var t) ? t : DateTimeOffset.MinValue,
                String(s, "hostname") ?? string.Empty,
                Strings(s, "paths") ?? [],
                Strings(s, "tags"),
                summary.ValueKind == JsonValueKind.Object ? Long(summary, "total_bytes_processed") : null,
                summary.ValueKind == JsonValueKind.Object ? Long(summary, "total_files_processed") : null));
        }

        return snapshots;
    }

    /// <summary>Counts what <c>restic forget --json</c> kept and removed, for the job summary.</summary>
    public static JsonElement? ForgetSummary(string stdout)
    {
        foreach (var line in stdout.Split('\n'))
        {
            if (TryParseLine(line, out var json) && json.ValueKind == JsonValueKind.Array)
            {
                var keep = json.EnumerateArray().Sum(g => g.TryGetProperty("keep", out var k) && k.ValueKind == JsonValueKind.Array ? k.GetArrayLength() : 0);
                var remove = json.EnumerateArray().Sum(g => g.TryGetProperty("remove", out var r) && r.ValueKind == JsonValueKind.Array ? r.GetArrayLength() : 0);
                return AgentJson.SerializeToElement(new ForgetSummary(keep, remove));
            }
        }

        return null;
    }

    /// <summary>
    /// restic's own message for a failure: the last "Fatal:" line, else its last few text lines on
    /// stderr (a lock conflict, for one, is four lines without "Fatal:").
    /// </summary>
    public static string? ErrorMessage(IReadOnlyList<string> stderr)
    {
        var fatal = stderr.LastOrDefault(l => l.StartsWith("Fatal:", StringComparison.Ordinal));
        if (fatal is not null)
        {
            return fatal;
        }

        // A failed backend operation ends in a Go stack trace (symbol lines without a space, file lines indented)
        // after a line per retry: what an operator needs is the error above the trace.
        var text = stderr.Where(l => !string.IsNullOrWhiteSpace(l) && !l.TrimStart().StartsWith('{') && !IsStackTraceLine(l)).ToList();
        var settled = text.Where(l => !l.Contains(" returned error, retrying after ", StringComparison.Ordinal)).ToList();
        var lines = (settled.Count > 0 ? settled : text).TakeLast(4).ToList();
        return lines.Count == 0 ? null : string.Join(" / ", lines);
    }

    static bool IsStackTraceLine(string line) => char.IsWhiteSpace(line[0]) || !line.Contains(' ', StringComparison.Ordinal);

    public static long? Long(JsonElement json, string name) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n
        : json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var d) && d.ValueKind == JsonValueKind.Number ? (long)d.GetDouble() : null;

    static double? Double(JsonElement json, string name) =>
        json.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    static string? String(JsonElement json, string name) =>
        json.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    static IReadOnlyList<string>? Strings(JsonElement json, string name) =>
        json.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList()
            : null;
}
