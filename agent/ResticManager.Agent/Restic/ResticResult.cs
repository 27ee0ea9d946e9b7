using System.Text.Json;

namespace ResticManager.Agent.Restic;

/// <summary>One restic run: its exit code (null when it could not start, with <see cref="StartError"/>), output and backup summary.</summary>
public sealed record ResticResult(int? ExitCode, IReadOnlyList<string> Stdout, IReadOnlyList<string> Stderr, JsonElement? Summary, string? StartError)
{
    /// <summary>The last JSON value restic printed (stats prints one).</summary>
    public JsonElement? LastJson => Stdout.Select(l => ResticOutput.TryParseLine(l, out var j) ? j : (JsonElement?)null).LastOrDefault(j => j is not null);
}
