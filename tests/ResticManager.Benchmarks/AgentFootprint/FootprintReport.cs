using System.Globalization;

/// <summary>The agent-footprint table (packaged against framework-dependent, with ratios) and its JSON.</summary>
static class FootprintReport
{
    /// <summary>Issue 15's goal for the packaged agent's resident memory after the idle phase.</summary>
    public const double IdleGoalMiB = 30;

    const double MiB = 1024 * 1024;

    public static void Print(IReadOnlyList<VariantFootprint> results, IReadOnlyList<AgentBuild> builds, FootprintSettings settings)
    {
        var packaged = results.Single(r => r.Variant.Name == "packaged");
        var framework = results.Single(r => r.Variant.Name == "framework-dependent");
        var rows = new List<(string Label, double Packaged, double Framework, string Unit)>
        {
            ("file size (framework-dependent: app folder)", packaged.Variant.FileBytes / MiB, framework.Variant.FileBytes / MiB, "MiB"),
            ("  + shared runtime it needs", 0, framework.Variant.SharedRuntimeBytes / MiB, "MiB"),
            ("  = on disk", packaged.Variant.FileBytes / MiB, (framework.Variant.FileBytes + framework.Variant.SharedRuntimeBytes) / MiB, "MiB"),
            ("start-up to \"connected\" line, median", Measure.Median(packaged.ConnectedMs), Measure.Median(framework.ConnectedMs), "ms"),
            ("start-up to server \"online\", median", Measure.Median(packaged.OnlineMs), Measure.Median(framework.OnlineMs), "ms"),
            ($"idle RSS after {settings.Idle.TotalMinutes:F0} min", packaged.IdleResidentEndMiB, framework.IdleResidentEndMiB, "MiB"),
            ("idle RSS, highest sample", packaged.IdleResidentMaxMiB, framework.IdleResidentMaxMiB, "MiB"),
            ($"idle PSS after {settings.Idle.TotalMinutes:F0} min", packaged.IdleProportionalEndMiB, framework.IdleProportionalEndMiB, "MiB"),
            ("idle PSS, highest sample", packaged.IdleProportionalMaxMiB, framework.IdleProportionalMaxMiB, "MiB"),
            ("CPU while idle (user+sys)", packaged.IdleCpuSeconds, framework.IdleCpuSeconds, "s"),
        };
        if (packaged.Backup is { } a && framework.Backup is { } b)
        {
            rows.Add(("peak RSS over one backup (agent only)", a.PeakResidentMiB, b.PeakResidentMiB, "MiB"));
            rows.Add(("backup wall time", a.Seconds, b.Seconds, "s"));
            rows.Add(("agent CPU over the backup", a.AgentCpuSeconds, b.AgentCpuSeconds, "s"));
        }

        Console.WriteLine();
        Console.WriteLine(Line("", $"packaged", "framework-dependent", "ratio"));
        Console.WriteLine(Line("", $"({packaged.Variant.Kind.Split(' ')[0]})", "", "pkg/fd"));
        foreach (var (label, p, f, unit) in rows)
        {
            Console.WriteLine(Line(label, Format(p, unit), Format(f, unit), f > 0 && p > 0 ? (p / f).ToString("F2", CultureInfo.InvariantCulture) : ""));
        }

        Console.WriteLine();
        Console.WriteLine($"packaged: {packaged.Variant.Kind}; framework-dependent needs {framework.Variant.SharedRuntime}");
        Console.WriteLine("builds.json: " + string.Join(", ", builds.Select(b => $"{b.Platform} {b.Size / MiB:F1} MiB")));
        Console.WriteLine($"starts (ms, connected line): packaged {Measure.List(packaged.ConnectedMs, "F0")}; framework-dependent {Measure.List(framework.ConnectedMs, "F0")}");
        var verdict = packaged.IdleResidentEndMiB < IdleGoalMiB && packaged.IdleResidentMaxMiB < IdleGoalMiB ? "MET" : "MISSED";
        Console.WriteLine($"goal: packaged agent under {IdleGoalMiB:F0} MiB RSS idle: {verdict} ({packaged.IdleResidentEndMiB:F1} MiB at the end, {packaged.IdleResidentMaxMiB:F1} MiB at most)");
    }

    public static object Json(IReadOnlyList<VariantFootprint> results, IReadOnlyList<AgentBuild> builds, FootprintSettings settings, FleetMachine machine)
    {
        var packaged = results.Single(r => r.Variant.Name == "packaged");
        var framework = results.Single(r => r.Variant.Name == "framework-dependent");
        return new
        {
            benchmark = "agent-footprint",
            finishedAt = DateTimeOffset.UtcNow,
            machine,
            settings = new
            {
                idleMinutes = settings.Idle.TotalMinutes,
                sampleEverySeconds = settings.SampleEvery.TotalSeconds,
                heartbeatSeconds = settings.Heartbeat.TotalSeconds,
                settings.Restarts,
                settings.BackupFiles,
                settings.BackupMiB,
            },
            idleGoalMiB = IdleGoalMiB,
            idleGoalMet = packaged.IdleResidentEndMiB < IdleGoalMiB && packaged.IdleResidentMaxMiB < IdleGoalMiB,
            builds = builds.Select(b => new { b.Platform, file = Path.GetFileName(b.File), sizeBytes = b.Size, sizeMiB = Math.Round(b.Size / MiB, 2) }),
            variants = results.Select(r => new
            {
                r.Variant.Name,
                r.Variant.Kind,
                r.Variant.Location,
                fileBytes = r.Variant.FileBytes,
                sharedRuntimeBytes = r.Variant.SharedRuntimeBytes,
                sharedRuntime = r.Variant.SharedRuntime,
                startupConnectedMs = new { median = Measure.Median(r.ConnectedMs), values = r.ConnectedMs },
                startupOnlineMs = new { median = Measure.Median(r.OnlineMs), values = r.OnlineMs },
                idle = new
                {
                    residentEndMiB = r.IdleResidentEndMiB,
                    residentMaxMiB = r.IdleResidentMaxMiB,
                    proportionalEndMiB = r.IdleProportionalEndMiB,
                    proportionalMaxMiB = r.IdleProportionalMaxMiB,
                    cpuSeconds = r.IdleCpuSeconds,
                    samples = r.IdleSamples,
                },
                backup = r.Backup,
            }),
            ratios = new
            {
                fileVsAppFolder = packaged.Variant.FileBytes / (double)framework.Variant.FileBytes,
                fileVsAppAndRuntime = packaged.Variant.FileBytes / (double)(framework.Variant.FileBytes + framework.Variant.SharedRuntimeBytes),
                startupConnected = Measure.Median(packaged.ConnectedMs) / Measure.Median(framework.ConnectedMs),
                idleResidentEnd = packaged.IdleResidentEndMiB / framework.IdleResidentEndMiB,
                idleProportionalEnd = packaged.IdleProportionalEndMiB / framework.IdleProportionalEndMiB,
                idleCpu = packaged.IdleCpuSeconds / framework.IdleCpuSeconds,
                backupPeakResident = packaged.Backup is { } a && framework.Backup is { } b ? a.PeakResidentMiB / b.PeakResidentMiB : double.NaN,
            },
        };
    }

    static string Line(string label, string packaged, string framework, string ratio) =>
        $"{label,-46} {packaged,14} {framework,22} {ratio,8}";

    static string Format(double value, string unit) => unit switch
    {
        "ms" => value.ToString("F0", CultureInfo.InvariantCulture) + " ms",
        "s" => value.ToString("F2", CultureInfo.InvariantCulture) + " s",
        _ => value.ToString("F1", CultureInfo.InvariantCulture) + " " + unit,
    };
}
