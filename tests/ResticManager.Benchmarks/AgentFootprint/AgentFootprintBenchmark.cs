using System.Diagnostics;
using System.Text.Json;
using ResticManager.Testing;

/// <summary>
/// <c>agent-footprint</c>: the packaged agent (linux-x64 from packaging/build.sh) against today's framework-dependent
/// agent, in one run on one embedded server: file size, start-up time to "connected" (median of restarts), resident
/// and proportional memory over an idle phase with both connected side by side, CPU seconds while idle, and the
/// agent's peak memory over one real backup each. Fails (exit 1) when an agent does not enroll, connect or stay online.
/// </summary>
static class AgentFootprintBenchmark
{
    static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(BenchmarkArguments args)
    {
        try
        {
            return await MeasureAsync(FootprintSettings.From(args));
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"agent-footprint FAILED: {ex}");
            return 1;
        }
    }

    static async Task<int> MeasureAsync(FootprintSettings settings)
    {
        var machine = FleetMachine.Now();
        var agentBuilds = Path.Combine(settings.Builds ?? PackagedBuilds.Directory, "agent-builds");
        var builds = AgentBuild.ReadAll(agentBuilds);
        var linux = builds.FirstOrDefault(b => b.Platform == "linux-x64")
            ?? throw new InvalidOperationException($"{agentBuilds}/builds.json lists no linux-x64 build");
        AgentVariant[] variants = [AgentVariant.Packaged(linux.File), AgentVariant.FrameworkDependent()];
        Console.WriteLine($"agent-footprint: idle {settings.Idle.TotalMinutes:F1} min (sampled every {settings.SampleEvery.TotalSeconds:F0} s), heartbeat {settings.Heartbeat.TotalSeconds:F0} s, "
            + $"{settings.Restarts} starts each, backup of {settings.BackupFiles} files / {settings.BackupMiB} MiB");
        Console.WriteLine($"machine: {machine}");
        foreach (var variant in variants)
        {
            Console.WriteLine($"{variant.Name}: {variant.Kind}, {variant.Location}");
        }

        using var work = new TempDirectory("rm-footprint");
        var source = work.Combine("data");
        Console.WriteLine($"generating {settings.BackupFiles} files, {settings.BackupMiB} MiB in {source} ...");
        Measure.Generate(source, settings.BackupFiles, (long)settings.BackupMiB * 1024 * 1024);

        await using var server = await ServerProcess.StartAsync();
        var agents = new List<FootprintAgent>();
        try
        {
            foreach (var variant in variants)
            {
                agents.Add(await FootprintAgent.EnrollAsync(server, variant, $"footprint-{variant.Name}"));
            }

            var starts = await MeasureStartsAsync(server, agents, settings);
            var (samples, idleCpu) = await IdleAsync(server, agents, settings);
            var results = new List<VariantFootprint>();
            foreach (var agent in agents)
            {
                var backup = await BackupAsync(server, agent, work.Combine($"repo-{agent.Variant.Name}"), source);
                results.Add(new VariantFootprint(agent.Variant, starts[agent].Connected, starts[agent].Online, samples[agent], idleCpu[agent], backup));
            }

            FootprintReport.Print(results, builds, settings);
            if (settings.Output is { } output)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(output)!);
                await File.WriteAllTextAsync(output, JsonSerializer.Serialize(FootprintReport.Json(results, builds, settings, machine), new JsonSerializerOptions
                {
                    WriteIndented = true,
                    PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
                    NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
                }));
                Console.WriteLine($"written to {output}");
            }

            return 0;
        }
        finally
        {
            foreach (var agent in agents)
            {
                await agent.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Starts each agent <see cref="FootprintSettings.Restarts"/> times, one at a time (which goes first alternates), stopping
    /// it in between; after the last start both stay connected for the idle phase.
    /// </summary>
    static async Task<Dictionary<FootprintAgent, (List<double> Connected, List<double> Online)>> MeasureStartsAsync(
        ServerProcess server, IReadOnlyList<FootprintAgent> agents, FootprintSettings settings)
    {
        var starts = agents.ToDictionary(a => a, _ => (Connected: new List<double>(), Online: new List<double>()));
        for (var run = 0; run < settings.Restarts; run++)
        {
            foreach (var agent in run % 2 == 0 ? agents : agents.Reverse())
            {
                var (connected, online) = await agent.StartAsync(server, settings.Heartbeat, ConnectTimeout);
                starts[agent].Connected.Add(connected.TotalMilliseconds);
                starts[agent].Online.Add(online.TotalMilliseconds);
                Console.WriteLine($"start {run + 1} {agent.Variant.Name,-20} connected after {connected.TotalMilliseconds,7:F0} ms, online at the server after {online.TotalMilliseconds,7:F0} ms");
                if (run < settings.Restarts - 1)
                {
                    await agent.StopAsync(server);
                }
            }
        }

        return starts;
    }

    /// <summary>Both agents connected side by side, doing nothing but heartbeats: memory every sample interval, CPU over the whole phase.</summary>
    static async Task<(Dictionary<FootprintAgent, List<MemorySample>> Samples, Dictionary<FootprintAgent, double> Cpu)> IdleAsync(
        ServerProcess server, IReadOnlyList<FootprintAgent> agents, FootprintSettings settings)
    {
        var samples = agents.ToDictionary(a => a, _ => new List<MemorySample>());
        var cpuBefore = agents.ToDictionary(a => a, a => Measure.CpuSeconds(a.Pid));
        var clock = Stopwatch.StartNew();
        Console.WriteLine($"idle for {settings.Idle.TotalMinutes:F1} min ...");
        for (var next = TimeSpan.Zero; ; next += settings.SampleEvery)
        {
            if (next > settings.Idle)
            {
                next = settings.Idle;
            }

            var wait = next - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                // Sampling at a fixed interval, not waiting for a condition.
                await Task.Delay(wait);
            }

            foreach (var agent in agents)
            {
                if (!agent.Running)
                {
                    throw new InvalidOperationException($"the {agent.Variant.Name} agent exited while idle. Output:\n{agent.Output}");
                }

                var sample = new MemorySample(clock.Elapsed.TotalSeconds, Measure.ResidentMiB(agent.Pid), ProcessMemory.ProportionalMiB(agent.Pid));
                samples[agent].Add(sample);
            }

            Console.WriteLine($"  {clock.Elapsed.TotalSeconds,5:F0} s  " + string.Join("   ", agents.Select(a =>
                $"{a.Variant.Name} RSS {samples[a][^1].ResidentMiB:F1} MiB PSS {samples[a][^1].ProportionalMiB:F1} MiB")));
            if (next >= settings.Idle)
            {
                break;
            }
        }

        var cpu = agents.ToDictionary(a => a, a => Measure.CpuSeconds(a.Pid) - cpuBefore[a]);
        foreach (var agent in agents)
        {
            var status = await server.GetHostStatusAsync(agent.AgentId);
            if (status != "online" || agent.Output.Contains("Lost the connection", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"the {agent.Variant.Name} agent did not stay connected while idle (the server says {status}). Output:\n{agent.Output}");
            }
        }

        return (samples, cpu);
    }

    /// <summary>
    /// One backup of the generated data through the agent into a fresh repository, up to the reports that follow it
    /// (snapshots, then stats), with the agent's memory sampled every 100 ms and its kernel peak reset just before.
    /// </summary>
    static async Task<BackupFootprint> BackupAsync(ServerProcess server, FootprintAgent agent, string repository, string source)
    {
        await Measure.BindFreshRepositoryAsync(server, agent.AgentId, repository, "bench");
        var pid = agent.Pid;
        var kernelPeak = ProcessMemory.TryResetPeak(pid);
        var sampledPeak = Measure.ResidentMiB(pid);
        using var stopSampling = new CancellationTokenSource();
        var sampling = Task.Run(async () =>
        {
            while (!stopSampling.IsCancellationRequested)
            {
                sampledPeak = Math.Max(sampledPeak, Measure.ResidentMiB(pid));
                await Task.Delay(TimeSpan.FromMilliseconds(100), stopSampling.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        });

        var cpuBefore = Measure.CpuSeconds(pid);
        var clock = Stopwatch.StartNew();
        var jobId = await server.CreateJobAsync(agent.AgentId, new { kind = "backup", paths = new[] { source } });
        var job = await Measure.WaitPreciselyAsync(server, jobId);
        var seconds = clock.Elapsed.TotalSeconds;
        if (job.GetProperty("status").GetString() != "succeeded")
        {
            throw new InvalidOperationException($"the {agent.Variant.Name} agent's backup ended {job}. Output:\n{agent.Output}");
        }

        var finishedAt = job.GetProperty("finishedAt").GetDateTimeOffset();
        await Eventually.HoldsAsync(async () =>
        {
            using var stats = JsonDocument.Parse(await server.Api.GetStringAsync($"/api/hosts/{agent.AgentId}/repository/stats"));
            return (await server.GetSnapshotsAsync(agent.AgentId)).TryGetProperty("refreshedAt", out var r) && r.ValueKind == JsonValueKind.String && r.GetDateTimeOffset() >= finishedAt
                && stats.RootElement.TryGetProperty("updatedAt", out var u) && u.ValueKind == JsonValueKind.String && u.GetDateTimeOffset() >= finishedAt;
        }, TimeSpan.FromMinutes(2), "the reports after the backup are applied");
        var cpu = Measure.CpuSeconds(pid) - cpuBefore;
        await stopSampling.CancelAsync();
        await sampling;
        var peak = kernelPeak ? Math.Max(Measure.PeakResidentMiB(pid), sampledPeak) : sampledPeak;
        Console.WriteLine($"backup {agent.Variant.Name,-20} {seconds,6:F1} s, agent CPU {cpu:F2} s, agent peak RSS {peak:F1} MiB");
        return new BackupFootprint(peak, kernelPeak ? "VmHWM reset before the job" : "100 ms samples", sampledPeak, seconds, cpu);
    }
}
