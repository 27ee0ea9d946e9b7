using System.Diagnostics;
using System.Net;
using System.Text.Json;
using ResticManager.Testing;

/// <summary>
/// Browsing and downloading through the agent. The first page of one folder of many entries, cold
/// (a snapshot nobody listed yet: the agent runs <c>restic ls</c>) and cached (the same page again);
/// and the throughput of one large file downloaded through agent, MQTT and HTTP against
/// <c>restic dump</c> run directly on the same repository, alternating which goes first.
/// </summary>
static class RestoreBenchmark
{
    const string Password = "bench";

    public static async Task<int> RunAsync(BenchmarkArguments args)
    {
        var entries = args.Int("--entries", 10_000);
        var sizeMiB = args.Int("--size-mib", 200);
        var runs = args.Int("--runs", 5);

        using var work = new TempDirectory("rm-bench-restore");
        var wide = work.Combine("data", "wide");
        var large = work.Combine("data", "large.bin");
        Console.WriteLine($"generating a folder of {entries} files and a {sizeMiB} MiB file ...");
        Directory.CreateDirectory(wide);
        for (var i = 0; i < entries; i++)
        {
            File.WriteAllText(Path.Combine(wide, $"f{i:D6}.txt"), i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        WriteRandomFile(large, sizeMiB);

        await using var server = await ServerProcess.StartAsync();
        await using var agent = await AgentProcess.EnrollAsync(server, "bench-restore-host");
        var agentProcess = agent.Start("--Agent:HeartbeatIntervalSeconds", "30");
        await server.WaitForStatusAsync(agent.AgentId, "online", TimeSpan.FromSeconds(60));
        var repository = work.Combine("repo");
        await Measure.BindFreshRepositoryAsync(server, agent.AgentId, repository, Password);

        // One snapshot per cold listing: a listing is cached per snapshot, so only a new one is cold.
        // One more for the warm-up of the server's and the agent's code paths.
        var snapshots = new List<string>();
        for (var i = 0; i <= runs; i++)
        {
            var job = await Measure.WaitPreciselyAsync(server, await server.CreateJobAsync(agent.AgentId, new { kind = "backup", paths = new[] { work.Combine("data") } }));
            if (job.GetProperty("status").GetString() != "succeeded")
            {
                throw new InvalidOperationException($"backup ended {job}");
            }
        }

        await Eventually.HoldsAsync(async () =>
        {
            snapshots = [.. (await server.GetSnapshotsAsync(agent.AgentId)).GetProperty("snapshots").EnumerateArray().Select(s => s.GetProperty("id").GetString()!)];
            return snapshots.Count == runs + 1;
        }, TimeSpan.FromMinutes(1), "the snapshots service lists every backup");

        var firstPage = $"/api/hosts/{agent.AgentId}/snapshots/{{0}}/tree?path={Uri.EscapeDataString(wide)}&limit=100";
        await TimeAsync(() => GetPageAsync(server, string.Format(System.Globalization.CultureInfo.InvariantCulture, firstPage, snapshots[^1])));
        var cold = new List<double>();
        var cached = new List<double>();
        foreach (var snapshot in snapshots.Take(runs))
        {
            var url = string.Format(System.Globalization.CultureInfo.InvariantCulture, firstPage, snapshot);
            cold.Add(await TimeAsync(() => GetPageAsync(server, url)));
            cached.Add(await TimeAsync(() => GetPageAsync(server, url)));
        }

        var download = $"/api/hosts/{agent.AgentId}/snapshots/{snapshots[0]}/download?path={Uri.EscapeDataString(large)}";
        var expected = (long)sizeMiB * 1024 * 1024;
        var direct = new List<double>();
        var viaAgent = new List<double>();
        var serverCpu = new List<double>();
        var agentCpu = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            foreach (var which in run % 2 == 0 ? new[] { "direct", "agent" } : ["agent", "direct"])
            {
                if (which == "direct")
                {
                    direct.Add(sizeMiB / await TimeAsync(() => DumpDirectlyAsync(repository, snapshots[0], large, expected)));
                }
                else
                {
                    var serverBefore = Measure.CpuSeconds(server.Process!.Id);
                    var agentBefore = Measure.CpuSeconds(agentProcess.Id);
                    viaAgent.Add(sizeMiB / await TimeAsync(() => DownloadAsync(server, download, expected)));
                    serverCpu.Add(Measure.CpuSeconds(server.Process!.Id) - serverBefore);
                    agentCpu.Add(Measure.CpuSeconds(agentProcess.Id) - agentBefore);
                }

                Console.WriteLine($"run {run + 1} {which,-6} {(which == "direct" ? direct : viaAgent)[^1],8:F1} MiB/s");
            }
        }

        Console.WriteLine();
        Console.WriteLine($"folder of {entries} entries, first page of 100, {runs} snapshots");
        Console.WriteLine($"first page, cold   median {Measure.Median(cold) * 1000:F0} ms  ({Measure.List(cold.Select(s => s * 1000), "F0")}; target < 1000 ms)");
        Console.WriteLine($"first page, cached median {Measure.Median(cached) * 1000:F1} ms  ({Measure.List(cached.Select(s => s * 1000), "F1")})");
        Console.WriteLine($"cold / cached      {Measure.Median(cold) / Measure.Median(cached):F0}x");
        Console.WriteLine($"download {sizeMiB} MiB, {runs} runs each, alternating");
        Console.WriteLine($"restic dump        median {Measure.Median(direct):F1} MiB/s  ({Measure.List(direct, "F1")})");
        Console.WriteLine($"through the agent  median {Measure.Median(viaAgent):F1} MiB/s  ({Measure.List(viaAgent, "F1")})");
        Console.WriteLine($"throughput ratio   {Measure.Median(viaAgent) / Measure.Median(direct):F3} (agent / direct)");
        Console.WriteLine($"CPU per download   agent {Measure.Median(agentCpu):F2} s, server {Measure.Median(serverCpu):F2} s (restic excluded)");
        Console.WriteLine($"peak memory        agent {Measure.PeakResidentMiB(agentProcess.Id):F1} MiB, server {Measure.PeakResidentMiB(server.Process!.Id):F1} MiB (VmHWM; the file is {sizeMiB} MiB)");
        return 0;
    }

    static void WriteRandomFile(string path, int mebibytes)
    {
        using var file = File.Create(path);
        var buffer = new byte[1024 * 1024];
        for (var i = 0; i < mebibytes; i++)
        {
            Random.Shared.NextBytes(buffer);
            file.Write(buffer);
        }
    }

    static async Task<double> TimeAsync(Func<Task> action)
    {
        var watch = Stopwatch.StartNew();
        await action();
        return watch.Elapsed.TotalSeconds;
    }

    static async Task GetPageAsync(ServerProcess server, string url)
    {
        using var response = await server.Api.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"{url}: {(int)response.StatusCode} {body}");
        }

        using var page = JsonDocument.Parse(body);
        if (page.RootElement.GetProperty("items").GetArrayLength() != 100)
        {
            throw new InvalidOperationException($"{url}: expected a full page, got {body[..Math.Min(body.Length, 300)]}");
        }
    }

    static async Task DownloadAsync(ServerProcess server, string url, long expected)
    {
        using var response = await server.Api.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        await using var body = await response.Content.ReadAsStreamAsync();
        Expect(await CountAsync(body), expected, "download");
    }

    static async Task DumpDirectlyAsync(string repository, string snapshot, string path, long expected)
    {
        var start = new ProcessStartInfo("restic") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "dump", "--no-lock", snapshot, path })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["RESTIC_REPOSITORY"] = repository;
        start.Environment["RESTIC_PASSWORD"] = Password;
        start.Environment["RESTIC_CACHE_DIR"] = Path.Combine(Path.GetTempPath(), "rm-bench-restic-cache");
        using var restic = Process.Start(start)!;
        var errors = restic.StandardError.ReadToEndAsync();
        var count = await CountAsync(restic.StandardOutput.BaseStream);
        await restic.WaitForExitAsync();
        Expect(count, expected, $"restic dump (exit {restic.ExitCode}: {await errors})");
    }

    static async Task<long> CountAsync(Stream stream)
    {
        var buffer = new byte[128 * 1024];
        long total = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            total += read;
        }

        return total;
    }

    static void Expect(long actual, long expected, string what)
    {
        if (actual != expected)
        {
            throw new InvalidOperationException($"{what} gave {actual} bytes, expected {expected}");
        }
    }
}
