/// <summary>The fleet benchmark's command line (see the README, Benchmarks).</summary>
sealed record FleetSettings(
    int Agents,
    TimeSpan Ramp,
    TimeSpan Heartbeat,
    int Jobs,
    IReadOnlyList<string> Modes,
    TimeSpan Hold,
    string Output,
    string Label,
    int DispatchJobs,
    TimeSpan DispatchSpread,
    int HeartbeatSample,
    TimeSpan Settle)
{
    public static FleetSettings From(BenchmarkArguments args)
    {
        var settings = new FleetSettings(
            Agents: args.Int("--agents", 10_000),
            Ramp: args.Duration("--ramp", TimeSpan.FromSeconds(30)),
            Heartbeat: args.Duration("--heartbeat", TimeSpan.FromSeconds(30)),
            Jobs: args.Int("--jobs", 1000),
            Modes: args.String("--modes", "embedded").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            Hold: args.Duration("--hold", TimeSpan.FromSeconds(60)),
            Output: args.String("--out", Path.Combine(ResticManager.Testing.RepoPaths.Root, "artifacts", "benchmarks", $"fleet-{DateTimeOffset.UtcNow:yyyyMMdd-HHmmss}.json")),
            Label: args.String("--label", ""),
            DispatchJobs: args.Int("--dispatch", 200),
            DispatchSpread: args.Duration("--dispatch-over", TimeSpan.FromSeconds(5)),
            HeartbeatSample: args.Int("--heartbeat-sample", 200),
            Settle: args.Duration("--settle", TimeSpan.FromSeconds(120)));
        if (settings.Agents < 1 || settings.Jobs < 0 || settings.DispatchJobs < 0 || settings.HeartbeatSample < 1 || settings.Modes.Count == 0
            || settings.Heartbeat <= TimeSpan.Zero || settings.Settle <= TimeSpan.Zero)
        {
            throw new ArgumentException("need --agents >= 1, --jobs >= 0, --dispatch >= 0, --heartbeat-sample >= 1, --heartbeat > 0, --settle > 0 and at least one mode");
        }

        if (settings.Modes.FirstOrDefault(m => m is not ("embedded" or "mosquitto" or "distributed")) is { } unknown)
        {
            throw new ArgumentException($"unknown mode '{unknown}': embedded, mosquitto or distributed");
        }

        // A host runs one job at a time: each phase's jobs go to distinct hosts.
        return settings with { Jobs = Math.Min(settings.Jobs, settings.Agents), DispatchJobs = Math.Min(settings.DispatchJobs, settings.Agents) };
    }
}
