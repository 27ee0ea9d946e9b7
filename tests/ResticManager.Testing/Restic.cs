using System.Text.Json;

namespace ResticManager.Testing;

/// <summary>The real restic CLI, to check what the product did from restic's own point of view.</summary>
public static class Restic
{
    public sealed record Snapshot(string Id, string ShortId, string Hostname, IReadOnlyList<string> Tags, IReadOnlyList<string> Paths, DateTimeOffset Time);

    public static async Task<(int ExitCode, string Output)> RunAsync(string repository, string password, params string[] args)
    {
        await using var restic = ChildProcess.Start("restic", "restic", args, new Dictionary<string, string>
        {
            ["RESTIC_REPOSITORY"] = repository,
            ["RESTIC_PASSWORD"] = password,
            ["RESTIC_CACHE_DIR"] = Path.Combine(Path.GetTempPath(), "rm-test-restic-cache"),
        });
        var code = await restic.WaitForExitAsync(TimeSpan.FromMinutes(5));
        return (code, restic.Output);
    }

    public static async Task InitAsync(string repository, string password)
    {
        var (code, output) = await RunAsync(repository, password, "init");
        if (code != 0)
        {
            throw new InvalidOperationException($"restic init failed: {output}");
        }
    }

    public static async Task<IReadOnlyList<Snapshot>> SnapshotsAsync(string repository, string password, string? host = null)
    {
        var (code, output) = await RunAsync(repository, password, host is null ? ["snapshots", "--json", "--no-lock"] : ["snapshots", "--json", "--no-lock", "--host", host]);
        if (code != 0)
        {
            throw new InvalidOperationException($"restic snapshots failed: {output}");
        }

        var json = output.Split('\n').First(l => l.StartsWith('['));
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.EnumerateArray().Select(s => new Snapshot(
            s.GetProperty("id").GetString()!,
            s.GetProperty("short_id").GetString()!,
            s.GetProperty("hostname").GetString()!,
            s.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Array ? tags.EnumerateArray().Select(t => t.GetString()!).ToList() : [],
            s.GetProperty("paths").EnumerateArray().Select(p => p.GetString()!).ToList(),
            s.GetProperty("time").GetDateTimeOffset())).ToList();
    }

    /// <summary>Random (incompressible, undeduplicable) files, so restic has real work to do.</summary>
    public static void WriteRandomFiles(string folder, int count, int bytesEach)
    {
        Directory.CreateDirectory(folder);
        var buffer = new byte[bytesEach];
        for (var i = 0; i < count; i++)
        {
            Random.Shared.NextBytes(buffer);
            File.WriteAllBytes(Path.Combine(folder, $"file-{i:D5}.bin"), buffer);
        }
    }

    /// <summary>restic processes whose command line mentions <paramref name="marker"/> (e.g. an agent's cache folder).</summary>
    public static IReadOnlyList<int> ProcessesMentioning(string marker) =>
        Directory.GetDirectories("/proc")
            .Select(d => (Pid: int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0, Dir: d))
            .Where(p => p.Pid > 0)
            .Where(p =>
            {
                try
                {
                    var cmdline = File.ReadAllText(Path.Combine(p.Dir, "cmdline")).Replace('\0', ' ');
                    return cmdline.Contains("restic", StringComparison.Ordinal) && cmdline.Contains(marker, StringComparison.Ordinal)
                        && !cmdline.Contains("ResticManager", StringComparison.Ordinal);
                }
                catch (IOException)
                {
                    return false;
                }
                catch (UnauthorizedAccessException)
                {
                    return false;
                }
            })
            .Select(p => p.Pid)
            .ToList();
}
