// Six measurements, one command each (see the README, Benchmarks): backups (the default), restores, the dashboard, notifications, the fleet and the agent's footprint.
return args.FirstOrDefault() switch
{
    "restore" => await RestoreBenchmark.RunAsync(new BenchmarkArguments(args[1..])),
    "dashboard" => await DashboardBenchmark.RunAsync(new BenchmarkArguments(args[1..])),
    "notifications" => await NotificationsBenchmark.RunAsync(new BenchmarkArguments(args[1..])),
    "fleet" => await FleetBenchmark.RunAsync(new BenchmarkArguments(args[1..])),
    "agent-footprint" => await AgentFootprintBenchmark.RunAsync(new BenchmarkArguments(args[1..])),
    _ => await BackupBenchmark.RunAsync(new BenchmarkArguments(args)),
};
