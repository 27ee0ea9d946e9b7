using System.Diagnostics;
using System.Globalization;
using ResticManager.Testing;

// Backup through the agent versus restic directly, on the same generated dataset, each run into a
// fresh repository, alternating which goes first; prints medians, their ratio, the agent's own CPU time
// per backup and its peak memory.
var files = Option("--files", 20_000);
var sizeMiB = Option("--size-mib", 1024);
var runs = Option("--runs", 3);

using var work = new TempDirectory("rm-bench");
var source = work.Combine("data");
Console.WriteLine($"generating {files} files, {sizeMiB} MiB in {source} ...");
Generate(source, files, (long)sizeMiB * 1024 * 1024);

await using var server = await ServerProcess.StartAsync();
await using var agent = await AgentProcess.EnrollAsync(server, "bench-host");
var agentProcess = agent.Start("--Agent:HeartbeatIntervalSeconds", "30");
await server.WaitForStatusAsync(agent.AgentId, "online", TimeSpan.FromSeconds(60));

// A long-running server is warm: one small backup first, so the first measured one does not pay for JIT.
var warmUp = work.Combine("warm-up");
Generate(warmUp, 10, 1024 * 1024);
await BackupThroughAgentAsync(work.Combine("repo-warm-up"), warmUp);

var direct = new List<double>();
var viaAgent = new List<double>();
var agentCpu = new List<double>();
var serverCpu = new List<double>();
for (var run = 0; run < runs; run++)
{
    var order = run % 2 == 0 ? new[] { "direct", "agent" } : ["agent", "direct"];
    foreach (var which in order)
    {
        var repository = work.Combine($"repo-{which}-{run}");
        double seconds;
        if (which == "direct")
        {
            await Restic.InitAsync(repository, "bench");
            var serverCpuBefore = CpuSeconds(server.Process!.Id);
            var watch = Stopwatch.StartNew();
            var (code, output) = await Restic.RunAsync(repository, "bench", "backup", "--json", "--host", "bench-host", "--", source);
            seconds = watch.Elapsed.TotalSeconds;
            if (code != 0)
            {
                throw new InvalidOperationException(output);
            }

            direct.Add(seconds);
            var idle = CpuSeconds(server.Process!.Id) - serverCpuBefore;
            using var summary = System.Text.Json.JsonDocument.Parse(output.Split('\n').Last(l => l.Contains("\"message_type\":\"summary\"", StringComparison.Ordinal)));
            Console.WriteLine($"      restic's own total_duration {summary.RootElement.GetProperty("total_duration").GetDouble():F2} s, server CPU {idle:F2} s (idle: no job)");
        }
        else
        {
            var (job, elapsed, agentSeconds, serverSeconds) = await BackupThroughAgentAsync(repository, source);
            seconds = elapsed;
            agentCpu.Add(agentSeconds);
            serverCpu.Add(serverSeconds);
            viaAgent.Add(seconds);
            var restic = job.GetProperty("summary").GetProperty("totalDuration").GetDouble();
            var queued = (job.GetProperty("startedAt").GetDateTimeOffset() - job.GetProperty("createdAt").GetDateTimeOffset()).TotalSeconds;
            var ran = (job.GetProperty("finishedAt").GetDateTimeOffset() - job.GetProperty("startedAt").GetDateTimeOffset()).TotalSeconds;
            Console.WriteLine($"      created→started {queued:F2} s, started→finished {ran:F2} s (restic's own total_duration {restic:F2} s), agent CPU {agentCpu[^1]:F2} s, server CPU {serverCpu[^1]:F2} s");
        }

        Console.WriteLine($"run {run + 1} {which,-6} {seconds,8:F2} s");
        Directory.Delete(repository, recursive: true);
    }
}

var directMedian = Median(direct);
var agentMedian = Median(viaAgent);
Console.WriteLine();
Console.WriteLine($"dataset            {files} files, {sizeMiB} MiB, {runs} runs each, alternating");
Console.WriteLine($"restic directly    median {directMedian:F2} s  ({string.Join(", ", direct.Select(d => d.ToString("F2", CultureInfo.InvariantCulture)))})");
Console.WriteLine($"through the agent  median {agentMedian:F2} s  ({string.Join(", ", viaAgent.Select(d => d.ToString("F2", CultureInfo.InvariantCulture)))})");
Console.WriteLine($"wall-time ratio    {agentMedian / directMedian:F3} (agent / direct; target <= 1.05)");
Console.WriteLine($"agent CPU          median {Median(agentCpu):F2} s per backup  ({string.Join(", ", agentCpu.Select(d => d.ToString("F2", CultureInfo.InvariantCulture)))}; user+sys of the agent process, restic excluded)");
Console.WriteLine($"server CPU         median {Median(serverCpu):F2} s per backup through the agent (it serves the job and its live stream)");
Console.WriteLine($"agent peak memory  {PeakResidentMiB(agentProcess.Id):F1} MiB (VmHWM of the agent process, restic excluded)");
if (args.Contains("--agent-log"))
{
    Console.WriteLine(agentProcess.Output);
}
return 0;

// Binds a fresh repository, backs `path` up through the agent, and waits until the reports that follow
// the job (snapshots, then stats) are applied, so nothing of this run overlaps the next one.
async Task<(System.Text.Json.JsonElement Job, double Seconds, double AgentCpu, double ServerCpu)> BackupThroughAgentAsync(string repository, string path)
{
    var boundAt = DateTimeOffset.UtcNow;
    await server.BindRepositoryAsync(agent.AgentId, repository, "bench");
    await WaitForInitAsync(server, agent.AgentId, boundAt);
    var cpuBefore = CpuSeconds(agentProcess.Id);
    var serverCpuBefore = CpuSeconds(server.Process!.Id);
    var watch = Stopwatch.StartNew();
    var jobId = await server.CreateJobAsync(agent.AgentId, new { kind = "backup", paths = new[] { path } });
    var job = await WaitPreciselyAsync(server, jobId);
    var seconds = watch.Elapsed.TotalSeconds;
    var agentSeconds = CpuSeconds(agentProcess.Id) - cpuBefore;
    var serverSeconds = CpuSeconds(server.Process!.Id) - serverCpuBefore;
    if (job.GetProperty("status").GetString() != "succeeded")
    {
        throw new InvalidOperationException($"backup through the agent ended {job}");
    }

    var finishedAt = job.GetProperty("finishedAt").GetDateTimeOffset();
    await Eventually.HoldsAsync(async () =>
    {
        using var stats = System.Text.Json.JsonDocument.Parse(await server.Api.GetStringAsync($"/api/hosts/{agent.AgentId}/repository/stats"));
        return (await server.GetSnapshotsAsync(agent.AgentId)).TryGetProperty("refreshedAt", out var r) && r.ValueKind == System.Text.Json.JsonValueKind.String && r.GetDateTimeOffset() >= finishedAt
            && stats.RootElement.TryGetProperty("updatedAt", out var u) && u.ValueKind == System.Text.Json.JsonValueKind.String && u.GetDateTimeOffset() >= finishedAt;
    }, TimeSpan.FromMinutes(2), "the reports after the backup are applied");
    return (job, seconds, agentSeconds, serverSeconds);
}

int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

static void Generate(string folder, int count, long totalBytes)
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

static async Task WaitForInitAsync(ServerProcess server, string hostId, DateTimeOffset boundAt)
{
    await Eventually.HoldsAsync(async () =>
    {
        using var doc = System.Text.Json.JsonDocument.Parse(await server.Api.GetStringAsync($"/api/jobs?hostId={hostId}&limit=5"));
        var items = doc.RootElement.GetProperty("items").EnumerateArray().ToList();
        var init = items.FirstOrDefault(j => j.GetProperty("kind").GetString() == "init" && j.GetProperty("createdAt").GetDateTimeOffset() >= boundAt);
        return init.ValueKind == System.Text.Json.JsonValueKind.Object && items.All(JobApi.IsFinal);
    }, TimeSpan.FromMinutes(2), "the new repository is initialised");
}

// The job's live stream ends right after its final state: checked every 20 ms, the measured time is
// within a few tens of milliseconds of the job's end, and the server is not polled (its CPU would be
// taken from restic's, and count against the agent).
static async Task<System.Text.Json.JsonElement> WaitPreciselyAsync(ServerProcess server, string jobId)
{
    await using var live = ServerSentEvents.Open(server.Api, $"/api/jobs/{jobId}/events");
    await Eventually.HoldsAsync(() => live.Ended, TimeSpan.FromMinutes(30), "the backup ends", TimeSpan.FromMilliseconds(20));
    return await server.GetJobAsync(jobId);
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

// The agent's own user+sys time (utime+stime of /proc/<pid>/stat): children's time, restic's, is counted apart.
static double CpuSeconds(int pid)
{
    using var process = Process.GetProcessById(pid);
    return process.TotalProcessorTime.TotalSeconds;
}

static double PeakResidentMiB(int pid)
{
    var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
    return line is null ? double.NaN : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
}
