using System.Diagnostics;

/// <summary>
/// CPU and memory of the server (its processes with their descendants) and of this process (the simulated agents
/// and the measuring), side by side since both share the machine. Resident memory is sampled every second (the sum
/// over the server's processes at one moment; its highest is the peak); CPU seconds are read at phase boundaries.
/// </summary>
sealed class FleetResources : IAsyncDisposable
{
    readonly IReadOnlyList<int> serverRoots;
    readonly double[] rootPeaksMiB;
    readonly CancellationTokenSource stop = new();
    readonly Task sampling;
    double serverPeakMiB;
    double selfPeakMiB;

    /// <summary>CPU seconds used so far by the server's processes and by this one.</summary>
    public sealed record Cpu(double Server, double Self)
    {
        public static Cpu operator -(Cpu after, Cpu before) => new(after.Server - before.Server, after.Self - before.Self);
    }

    FleetResources(IReadOnlyList<int> serverRoots)
    {
        this.serverRoots = serverRoots;
        rootPeaksMiB = new double[serverRoots.Count];
        sampling = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                Sample();
                await Task.Delay(TimeSpan.FromSeconds(1), stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        });
    }

    public static FleetResources Start(IReadOnlyList<int> serverRoots) => new(serverRoots);

    public double ServerPeakMiB => Volatile.Read(ref serverPeakMiB);

    public double SelfPeakMiB => Volatile.Read(ref selfPeakMiB);

    /// <summary>The peak of each server process with its descendants, in the order given.</summary>
    public IReadOnlyList<double> ProcessPeaksMiB => [.. rootPeaksMiB];

    public Cpu Now()
    {
        using var self = Process.GetCurrentProcess();
        return new Cpu(serverRoots.Sum(Measure.TreeCpuSeconds), self.TotalProcessorTime.TotalSeconds);
    }

    void Sample()
    {
        var perRoot = serverRoots.Select(Measure.TreeResidentMiB).ToList();
        for (var i = 0; i < perRoot.Count; i++)
        {
            rootPeaksMiB[i] = Math.Max(rootPeaksMiB[i], perRoot[i]);
        }

        var server = perRoot.Sum();
        var self = Measure.ResidentMiB(Environment.ProcessId);
        Volatile.Write(ref serverPeakMiB, Math.Max(ServerPeakMiB, server));
        Volatile.Write(ref selfPeakMiB, Math.Max(SelfPeakMiB, self));
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await sampling;
        stop.Dispose();
    }
}
