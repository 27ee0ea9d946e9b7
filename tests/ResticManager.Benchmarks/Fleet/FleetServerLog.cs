/// <summary>What the server said about itself: its warnings and errors, grouped by logger and message start.</summary>
static class FleetServerLog
{
    static readonly string[] Levels = [" warn: ", " fail: ", " crit: "];

    /// <summary>Up to 20 kinds of warning or error line, the most frequent first, with their counts.</summary>
    public static IReadOnlyList<object> Warnings(IEnumerable<ResticManager.Testing.ChildProcess> processes) =>
        processes.SelectMany(p => p.Output.Split('\n').Select(line => (p.Name, line)))
            .Select(x => (x.Name, x.line, at: Levels.Select(l => x.line.IndexOf(l, StringComparison.Ordinal)).FirstOrDefault(i => i >= 0, -1)))
            .Where(x => x.at >= 0)
            .GroupBy(x => (x.Name, Kind: Shorten(x.line[(x.at + 1)..])))
            .OrderByDescending(g => g.Count())
            .Take(20)
            .Select(g => (object)new { Process = g.Key.Name, Line = g.Key.Kind, Count = g.Count() })
            .ToList();

    /// <summary>The level, the logger and the start of the message, with ids and numbers masked (they vary per line).</summary>
    static string Shorten(string line)
    {
        var masked = System.Text.RegularExpressions.Regex.Replace(line, "[0-9a-z_-]*[0-9][0-9a-z_-]*", "#");
        return masked.Length <= 140 ? masked : masked[..140];
    }
}
