using System.Diagnostics;
using ResticManager.Testing;

/// <summary>
/// Backup through the agent versus restic directly, on the same generated dataset, each run into a
/// fresh repository, alternating which goes first; prints medians, their ratio, the agent's own CPU time
/// per backup and its peak memory.
/// </summary>
static class BackupBenchmark
{
    public static async Task<int> RunAsync(BenchmarkArguments args)
    {
        var files = args.Int("--files", 20_000);
        var sizeMiB = args.Int("--size-mib", 1024);
        var runs = args.Int("--runs", 3);

        using var work = new TempDirectory("rm-bench");
        var source = work.Combine("data");
        Console.WriteLine($"generating {files} files, {sizeMiB} MiB in {source} ...");
        Measure.Generate(source, files, (long)sizeMiB * 1024 * 1024);

        await using var server = await ServerProcess.StartAsync();
        await using var agent = await AgentProcess.EnrollAsync(server, "bench-host");
        var agentProcess = agent.Start("--Agent:HeartbeatIntervalSeconds", "30");
        await server.WaitForStatusAsync(agent.AgentId, "online", TimeSpan.FromSeconds(60));

        // A long-running server is warm: one small backup first, so the first measured one does not pay for JIT.
        var warmUp = work.Combine("warm-up");
        Measure.Generate(warmUp, 10, 1024 * 1024);
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
                    var serverCpuBefore = Measure.CpuSeconds(server.Process!.Id);
                    var watch = Stopwatch.StartNew();
                    var (code, output) = await Restic.RunAsync(repository, "bench", "backup", "--json", "--host", "bench-host", "--", source);
                    seconds = watch.Elapsed.TotalSeconds;
                    if (code != 0)
                    {
                        throw new InvalidOperationException(output);
                    }

                    direct.Add(seconds);
                    var idle = Measure.CpuSeconds(server.Process!.Id) - serverCpuBefore;
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

        var directMedian = Measure.Median(direct);
        var agentMedian = Measure.Median(viaAgent);
        Console.WriteLine();
        Console.WriteLine($"dataset            {files} files, {sizeMiB} MiB, {runs} runs each, alternating");
        Console.WriteLine($"restic directly    median {directMedian:F2} s  ({Measure.List(direct)})");
        Console.WriteLine($"through the agent  median {agentMedian:F2} s  ({Measure.List(viaAgent)})");
        Console.WriteLine($"wall-time ratio    {agentMedian / directMedian:F3} (agent / direct; target <= 1.05)");
        Console.WriteLine($"agent CPU          median {Measure.Median(agentCpu):F2} s per backup  ({Measure.List(agentCpu)}; user+sys of the agent process, restic excluded)");
        Console.WriteLine($"server CPU         median {Measure.Median(serverCpu):F2} s per backup through the agent (it serves the job and its live stream)");
        Console.WriteLine($"agent peak memory  {Measure.PeakResidentMiB(agentProcess.Id):F1} MiB (VmHWM of the agent process, restic excluded)");
        if (args.Has("--agent-log"))
        {
            Console.WriteLine(agentProcess.Output);
        }
        return 0;

        // Binds a fresh repository, backs `path` up through the agent, and waits until the reports that follow
        // the job (snapshots, then stats) are applied, so nothing of this run overlaps the next one.
        async Task<(System.Text.Json.JsonElement Job, double Seconds, double AgentCpu, double ServerCpu)> BackupThroughAgentAsync(string repository, string path)
        {
            await Measure.BindFreshRepositoryAsync(server, agent.AgentId, repository, "bench");
            var cpuBefore = Measure.CpuSeconds(agentProcess.Id);
            var serverCpuBefore = Measure.CpuSeconds(server.Process!.Id);
            var watch = Stopwatch.StartNew();
            var jobId = await server.CreateJobAsync(agent.AgentId, new { kind = "backup", paths = new[] { path } });
            var job = await Measure.WaitPreciselyAsync(server, jobId);
            var seconds = watch.Elapsed.TotalSeconds;
            var agentSeconds = Measure.CpuSeconds(agentProcess.Id) - cpuBefore;
            var serverSeconds = Measure.CpuSeconds(server.Process!.Id) - serverCpuBefore;
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
    }
}
