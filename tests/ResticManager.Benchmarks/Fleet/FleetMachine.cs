using System.Globalization;
using System.Runtime.InteropServices;

/// <summary>The machine a run measured: figures from another machine, or under other load, do not compare.</summary>
sealed record FleetMachine(int Cores, double MemoryGiB, string Os, string Kernel, string Dotnet, string LoadAverageAtStart, string? CpuModel)
{
    public static FleetMachine Now() => new(
        Environment.ProcessorCount,
        Math.Round(MemInfoKiB("MemTotal:") / 1024 / 1024, 1),
        RuntimeInformation.OSDescription,
        File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : Environment.OSVersion.VersionString,
        RuntimeInformation.FrameworkDescription,
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?",
        File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() : null);

    static double MemInfoKiB(string field)
    {
        var line = File.Exists("/proc/meminfo") ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal)) : null;
        return line is null ? 0 : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Cores} cores ({CpuModel ?? "?"}), {MemoryGiB:F1} GiB, {Os} {Kernel}, {Dotnet}, load average at start {LoadAverageAtStart}");
}
