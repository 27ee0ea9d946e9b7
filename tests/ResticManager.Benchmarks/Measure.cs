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

    /// <summary>The nearest-rank percentile (<paramref name="percent"/> of 100), or NaN without values.</summary>
    public static double Percentile(IReadOnlyCollection<double> values, double percent)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    public static string List(IEnumerable<double> values, string format = "F2") =>
        string.Join(", ", values.Select(d => d.ToString(format, CultureInfo.InvariantCulture)));

    /// <summary>The process's own user+sys time (utime+stime of /proc/&lt;pid&gt;/stat): children's time, restic's, is counted apart.</summary>
    public static double CpuSeconds(int pid)
    {
        using var process = Process.GetProcessById(pid);
        return process.TotalProcessorTime.TotalSeconds;
    }

    /// <summary>
    /// User+sys seconds of the process and of every descendant alive now (/proc/&lt;pid&gt;/stat utime+stime), plus what
    /// reaped children left in their parents (cutime+cstime): for a server made of several processes (a RabbitMQ node's
    /// Erlang VM under its start script). A process gone since is missing from a later call: sample often, keep the highest.
    /// </summary>
    public static double TreeCpuSeconds(int pid) => Descendants(pid).Sum(p => StatTicks(p, withChildren: true)) / (double)TicksPerSecond;

    /// <summary>Resident memory now (VmRSS) of the process alone.</summary>
    public static double ResidentMiB(int pid) => StatusKiB(pid, "VmRSS:") / 1024;

    /// <summary>Resident memory now (VmRSS) of the process and every descendant, summed.</summary>
    public static double TreeResidentMiB(int pid) => Descendants(pid).Sum(p => StatusKiB(p, "VmRSS:")) / 1024;

    /// <summary>The process and its descendants alive now, from the parent ids in /proc/*/stat.</summary>
    public static IReadOnlyList<int> Descendants(int root)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && StatFields(pid) is { } fields)
            {
                var parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
                (children.TryGetValue(parent, out var list) ? list : children[parent] = []).Add(pid);
            }
        }

        var found = new List<int> { root };
        for (var i = 0; i < found.Count; i++)
        {
            found.AddRange(children.GetValueOrDefault(found[i]) ?? []);
        }

        return found;
    }

    /// <summary>Clock ticks per second of /proc's times: 100 on every Linux the project runs on (USER_HZ).</summary>
    const int TicksPerSecond = 100;

    static long StatTicks(int pid, bool withChildren)
    {
        // Fields after the command's closing parenthesis: state is [0], ppid [1], utime [11], stime [12], cutime [13], cstime [14].
        if (StatFields(pid) is not { } f)
        {
            return 0;
        }

        long Field(int i) => long.Parse(f[i], CultureInfo.InvariantCulture);
        return Field(11) + Field(12) + (withChildren ? Field(13) + Field(14) : 0);
    }

    static string[]? StatFields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    static double StatusKiB(int pid, string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
            return line is null ? 0 : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
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
