using System.Globalization;

/// <summary>The table on the console and the JSON document of a fleet benchmark run.</summary>
static class FleetReport
{
    const string Embedded = "embedded";
    const string Mosquitto = "mosquitto";

    public static void Print(IReadOnlyList<FleetModeResult> results, IReadOnlyDictionary<string, string> failures, FleetSettings settings)
    {
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"fleet of {settings.Agents} agents (targets as issue 14 states them, for 10,000 agents and 1,000 concurrent jobs)"));
        if (results.Count == 0)
        {
            Console.WriteLine("no mode ran");
            return;
        }

        var keys = results.SelectMany(r => r.Figures).Select(f => f.Key).Distinct().ToList();
        var withRatio = Ratios(results) is not null;
        var header = $"{"figure",-58}" + string.Concat(results.Select(r => $"{r.Mode,16} {"",4}")) + $" {"target",-12}" + (withRatio ? $"{"mosq/emb",9}" : "");
        Console.WriteLine(header);
        Console.WriteLine(new string('-', header.Length));
        foreach (var key in keys)
        {
            var first = results.Select(r => r.Figure(key)).First(f => f is not null)!;
            var line = $"{first.Label + (first.Unit.Length > 0 ? $" [{first.Unit}]" : ""),-58}";
            foreach (var result in results)
            {
                var figure = result.Figure(key);
                line += $"{Format(figure?.Value),16} {(figure?.Pass is { } pass ? (pass ? "PASS" : "MISS") : ""),4}";
            }

            line += $" {first.Target ?? "",-12}";
            if (withRatio)
            {
                line += $"{Format(Ratio(results, key), "F2"),9}";
            }

            Console.WriteLine(line);
        }

        foreach (var result in results)
        {
            foreach (var note in result.Notes)
            {
                Console.WriteLine($"note [{result.Mode}]: {note}");
            }
        }

        foreach (var (mode, error) in failures)
        {
            Console.WriteLine($"mode {mode} did not run: {error}");
        }
    }

    public static Dictionary<string, object?> Json(IReadOnlyList<FleetModeResult> results, IReadOnlyDictionary<string, string> failures, FleetSettings settings, FleetMachine machine) => new()
    {
        ["measuredAt"] = DateTimeOffset.UtcNow,
        ["label"] = settings.Label,
        ["machine"] = machine,
        ["settings"] = new
        {
            settings.Agents,
            RampSeconds = settings.Ramp.TotalSeconds,
            HeartbeatSeconds = settings.Heartbeat.TotalSeconds,
            HoldSeconds = settings.Hold.TotalSeconds,
            settings.Jobs,
            settings.DispatchJobs,
            DispatchOverSeconds = settings.DispatchSpread.TotalSeconds,
            settings.HeartbeatSample,
            SettleSeconds = settings.Settle.TotalSeconds,
            settings.Modes,
        },
        ["modes"] = results.ToDictionary(r => r.Mode, r => (object)new
        {
            Figures = r.Figures.ToDictionary(f => f.Key, f => new { f.Value, f.Unit, f.Target, f.Pass, f.Label }),
            r.Notes,
            r.Details,
        }),
        ["ratioMosquittoToEmbedded"] = Ratios(results),
        ["failedModes"] = failures,
    };

    static Dictionary<string, double?>? Ratios(IReadOnlyList<FleetModeResult> results) =>
        results.Any(r => r.Mode == Embedded) && results.Any(r => r.Mode == Mosquitto)
            ? results.First(r => r.Mode == Embedded).Figures.ToDictionary(f => f.Key, f => Ratio(results, f.Key))
            : null;

    static double? Ratio(IReadOnlyList<FleetModeResult> results, string key)
    {
        var embedded = results.FirstOrDefault(r => r.Mode == Embedded)?.Figure(key)?.Value;
        var mosquitto = results.FirstOrDefault(r => r.Mode == Mosquitto)?.Figure(key)?.Value;
        return embedded is { } e && mosquitto is { } m && e != 0 && double.IsFinite(m / e) ? Math.Round(m / e, 3) : null;
    }

    static string Format(double? value, string format = "") => value switch
    {
        null => "—",
        { } v when format.Length > 0 => v.ToString(format, CultureInfo.InvariantCulture),
        { } v when Math.Abs(v) >= 100 || v == Math.Round(v) => v.ToString("F0", CultureInfo.InvariantCulture),
        { } v => v.ToString("F1", CultureInfo.InvariantCulture),
    };
}
