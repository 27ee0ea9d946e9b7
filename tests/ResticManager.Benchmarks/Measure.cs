using System.Diagnostics;
using System.Globalization;
using ResticManager.Testing;

/// <summary>What both benchmarks measure with and how they prepare their data.</summary>
static class Measure
{
    public static double Median(IReadOnlyCollection<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    public static string List(IEnumerable<double> values, string format = "F2") =>
        string.Join(", ", values.Select(d => d.ToString(format, CultureInfo.InvariantCulture)));

    /// <summary>The process's own user+sys time (utime+stime of /proc/&lt;pid&gt;/stat): children's time, restic's, is counted apart.</summary>
    public static double CpuSeconds(int pid)
    {
        using var process = Process.GetProcessById(pid);
        return process.TotalProcessorTime.TotalSeconds;
    }

    public static double PeakResidentMiB(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? double.NaN : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    /// <summary><paramref name="count"/> random files in folders of 500, <paramref name="totalBytes"/> in all.</summary>
    public static void Generate(string folder, int count, long totalBytes)
    {
        var perFile = (int)Math.Max(1, totalBytes / count);
        var buffer = new byte[perFile];
        for (var i = 0; i < count; i++)
        {
            var dir = Path.Combine(folder, $"d{i / 500:D3}");
            Directory.CreateDirectory(dir);
            Random.Shared.NextBytes(buffer);
            File.WriteAllBytes(Path.Combine(dir, $"f{i:D6}.bin"), buffer);
        }
    }

    /// <summary>Binds <paramref name="repository"/> to the host and waits until the init job it queues has ended.</summary>
    public static async Task BindFreshRepositoryAsync(ServerProcess server, string hostId, string repository, string password)
    {
        var boundAt = DateTimeOffset.UtcNow;
        await server.BindRepositoryAsync(hostId, repository, password);
        await Eventually.HoldsAsync(async () =>
        {
            using var doc = System.Text.Json.JsonDocument.Parse(await server.Api.GetStringAsync($"/api/jobs?hostId={hostId}&limit=5"));
            var items = doc.RootElement.GetProperty("items").EnumerateArray().ToList();
            var init = items.FirstOrDefault(j => j.GetProperty("kind").GetString() == "init" && j.GetProperty("createdAt").GetDateTimeOffset() >= boundAt);
            return init.ValueKind == System.Text.Json.JsonValueKind.Object && items.All(JobApi.IsFinal);
        }, TimeSpan.FromMinutes(2), "the new repository is initialised");
    }

    /// <summary>
    /// The job's live stream ends right after its final state: checked every 20 ms, the measured time is
    /// within a few tens of milliseconds of the job's end, and the server is not polled (its CPU would be
    /// taken from restic's, and count against the agent).
    /// </summary>
    public static async Task<System.Text.Json.JsonElement> WaitPreciselyAsync(ServerProcess server, string jobId)
    {
        await using var live = ServerSentEvents.Open(server.Api, $"/api/jobs/{jobId}/events");
        await Eventually.HoldsAsync(() => live.Ended, TimeSpan.FromMinutes(30), "the job ends", TimeSpan.FromMilliseconds(20));
        return await server.GetJobAsync(jobId);
    }
}
