using System.Diagnostics;
using System.Globalization;
using ResticManager.FleetSimulator;

// dotnet run --project tests/ResticManager.FleetSimulator -c Release -- --server <url> --token <admin token> --agents N
//   [--ramp 30s] [--heartbeat 30s] [--mqtt <url>] [--duration 5m]
var arguments = CommandLine.Parse(args);
if (arguments is null)
{
    Console.Error.WriteLine("usage: --server <url> --token <admin token> --agents N [--ramp 30s] [--heartbeat 30s] [--mqtt mqtt://host:port] [--duration 5m]");
    return 2;
}

using var interrupted = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    interrupted.Cancel();
};

var process = Process.GetCurrentProcess();
var clock = Stopwatch.StartNew();
Console.WriteLine($"enrolling {arguments.Agents} agents at {arguments.ServerUrl} …");
await using var fleet = await Fleet.EnrollAsync(arguments, interrupted.Token);
Console.WriteLine($"enrolled in {clock.Elapsed.TotalSeconds:F1}s; connecting over {arguments.Ramp}");
var connectedAfter = Stopwatch.StartNew();
_ = fleet.ConnectAsync(interrupted.Token);
using var report = new PeriodicTimer(TimeSpan.FromSeconds(5));
var duration = CommandLine.Duration(args);
try
{
    while (await report.WaitForNextTickAsync(interrupted.Token))
    {
        process.Refresh();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{connectedAfter.Elapsed:hh\\:mm\\:ss} cpu {process.TotalProcessorTime.TotalSeconds:F1}s rss {process.WorkingSet64 / 1048576.0:F0} MiB heap {GC.GetTotalMemory(false) / 1048576.0:F1} MiB | {fleet.Stats}"));
        if (duration is { } limit && connectedAfter.Elapsed >= limit)
        {
            break;
        }
    }
}
catch (OperationCanceledException)
{
}

Console.WriteLine("stopping …");
using var stopTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
await fleet.StopAsync(stopTimeout.Token);
process.Refresh();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"stopped | cpu {process.TotalProcessorTime.TotalSeconds:F1}s, peak rss {process.PeakWorkingSet64 / 1048576.0:F0} MiB | {fleet.Stats}"));
foreach (var (incident, count) in fleet.Incidents())
{
    Console.WriteLine($"  {count} × {incident}");
}

foreach (var fault in fleet.Faults())
{
    Console.Error.WriteLine(fault);
}

return 0;
