/// <summary>The agent-footprint benchmark's command line (see the README, Benchmarks).</summary>
sealed record FootprintSettings(
    TimeSpan Idle,
    TimeSpan SampleEvery,
    TimeSpan Heartbeat,
    int Restarts,
    int BackupFiles,
    int BackupMiB,
    string? Builds,
    string? Output)
{
    public static FootprintSettings From(BenchmarkArguments args)
    {
        var settings = new FootprintSettings(
            Idle: TimeSpan.FromMinutes(args.Int("--idle-minutes", 10)),
            SampleEvery: args.Duration("--sample-every", TimeSpan.FromSeconds(30)),
            Heartbeat: args.Duration("--heartbeat", TimeSpan.FromSeconds(30)),
            Restarts: args.Int("--restarts", 5),
            BackupFiles: args.Int("--files", 2_000),
            BackupMiB: args.Int("--size-mib", 200),
            Builds: args.Has("--builds") ? Path.GetFullPath(args.String("--builds", "")) : null,
            Output: args.Has("--json") ? Path.GetFullPath(args.String("--json", "")) : null);
        if (settings.Idle < TimeSpan.Zero || settings.SampleEvery <= TimeSpan.Zero || settings.Heartbeat < TimeSpan.FromSeconds(1)
            || settings.Restarts < 1 || settings.BackupFiles < 1 || settings.BackupMiB < 1)
        {
            throw new ArgumentException("need --idle-minutes >= 0, --sample-every > 0, --heartbeat >= 1s, --restarts >= 1, --files >= 1 and --size-mib >= 1");
        }

        return settings;
    }
}
