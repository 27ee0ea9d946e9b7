using System.Globalization;

/// <summary>
/// Memory of one process from /proc: resident (VmRSS, what `top` shows) and proportional (PSS from smaps_rollup,
/// which splits pages shared with other processes, the shared .NET runtime's files among them, by their sharers).
/// </summary>
static class ProcessMemory
{
    public static double ProportionalMiB(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/smaps_rollup").FirstOrDefault(l => l.StartsWith("Pss:", StringComparison.Ordinal));
            return line is null ? double.NaN : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return double.NaN;
        }
    }

    /// <summary>
    /// Resets the process's peak resident memory (VmHWM) to its current resident memory (clear_refs 5, Linux 4.0+), so a
    /// later VmHWM is the peak of what came after; false where the kernel or the permissions refuse it.
    /// </summary>
    public static bool TryResetPeak(int pid)
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
