// Two measurements, one command each (see the README, Benchmarks): backups (the default) and restores.
return args.FirstOrDefault() == "restore"
    ? await RestoreBenchmark.RunAsync(new BenchmarkArguments(args[1..]))
    : await BackupBenchmark.RunAsync(new BenchmarkArguments(args));
