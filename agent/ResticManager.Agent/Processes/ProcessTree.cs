using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ResticManager.Agent.Processes;

public static class ProcessTree
{
    const int SigInt = 2;

    /// <summary>Ends a child and everything it started (restic's backend helpers, a hook's commands); one already gone is left alone.</summary>
    public static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }

    /// <summary>
    /// Asks a child to stop by itself, as Ctrl-C would (SIGINT, to that process only: restic stops its
    /// own helpers and removes its locks). False where there is no such signal (Windows) or the child is gone.
    /// </summary>
    public static bool Interrupt(Process process)
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        try
        {
            return !process.HasExited && SendSignal(process.Id, SigInt) == 0;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    static extern int SendSignal(int pid, int signal);
}
