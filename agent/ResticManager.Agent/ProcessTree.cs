using System.Diagnostics;

namespace ResticManager.Agent;

static class ProcessTree
{
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
}
