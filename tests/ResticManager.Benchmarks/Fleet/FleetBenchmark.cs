using System.Globalization;
using System.Text.Json;

/// <summary>
/// <c>fleet</c>: N simulated agents (tests/ResticManager.FleetSimulator, in this process) against each server mode
/// in turn, each on a fresh data folder (see <see cref="FleetRun"/> for the phases). Prints one table with a column
/// per mode and PASS/MISS against issue 14's targets, the mosquitto/embedded ratios when both ran, and writes the
/// figures with the machine's facts to JSON.
/// </summary>
static class FleetBenchmark
{
    public static async Task<int> RunAsync(BenchmarkArguments args)
    {
        var settings = FleetSettings.From(args);
        var machine = FleetMachine.Now();
        Console.WriteLine($"fleet: {settings.Agents} agents, ramp {settings.Ramp.TotalSeconds:F0}s, heartbeat {settings.Heartbeat.TotalSeconds:F0}s, hold {settings.Hold.TotalSeconds:F0}s, "
            + $"{settings.DispatchJobs} dispatched + {settings.Jobs} burst jobs; modes {string.Join(", ", settings.Modes)}");
        Console.WriteLine($"machine: {machine}");
        var results = new List<FleetModeResult>();
        var failures = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var mode in settings.Modes)
        {
            try
            {
                results.Add(await FleetRun.RunAsync(settings, mode));
            }
            catch (Exception ex)
            {
                // One mode that cannot run (no RabbitMQ, no mosquitto) does not cost the others' figures.
                failures[mode] = ex.Message;
                Console.WriteLine($"[{mode}] failed: {ex}");
            }
        }

        FleetReport.Print(results, failures, settings);
        var json = FleetReport.Json(results, failures, settings, machine);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(settings.Output))!);
        await File.WriteAllTextAsync(settings.Output, JsonSerializer.Serialize(json, new JsonSerializerOptions
        {
            WriteIndented = true,
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            // A detail that came out NaN or infinite is written as such rather than costing the whole report.
            NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        }));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"written to {settings.Output}"));
        return failures.Count == 0 ? 0 : 1;
    }
}
