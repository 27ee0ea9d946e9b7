using ResticManager.Testing;

/// <summary>
/// One server mode under test, started on a fresh data folder: where its REST API is (with the bootstrap admin
/// token), which OS processes are the server (their CPU and memory are counted with their descendants), and which
/// process hosts the bridge (its <c>/metrics</c> counts the agent messages it forwards).
/// </summary>
abstract class FleetTarget : IAsyncDisposable
{
    /// <summary>
    /// The server's own settings where <see cref="ServerProcess"/> shortens them for tests: a benchmark measures the
    /// defaults an operator runs (the stale-host sweep every 5 s, not every 0.5 s).
    /// </summary>
    protected static readonly IReadOnlyDictionary<string, string> ProductionDefaults = new Dictionary<string, string>
    {
        ["Inventory:StaleCheckInterval"] = "00:00:05",
    };

    public abstract string Mode { get; }

    /// <summary>The public entry: the embedded server, or the distributed mode's gateway.</summary>
    public abstract ServerProcess Api { get; }

    /// <summary>The server's processes by name: what <c>serverCpuSeconds</c> and <c>serverPeakRssMiB</c> add up.</summary>
    public abstract IReadOnlyList<(string Name, ChildProcess Process)> Processes { get; }

    /// <summary>The process running the bridge (agent messages in, commands out), whose /metrics counts them.</summary>
    public abstract ServerProcess BridgeHost { get; }

    /// <summary>What a reader of the figures must know about this mode's set-up.</summary>
    public virtual string? Note => null;

    /// <summary>Anything the agents need between enrollment and connecting (mosquitto's password file).</summary>
    public virtual Task AfterEnrollmentAsync() => Task.CompletedTask;

    public abstract ValueTask DisposeAsync();

    public static async Task<FleetTarget> StartAsync(string mode) => mode switch
    {
        "embedded" => await FleetEmbeddedTarget.StartAsync(),
        "mosquitto" => await FleetMosquittoTarget.StartAsync(),
        "distributed" => await FleetDistributedTarget.StartAsync(),
        _ => throw new ArgumentException($"unknown mode '{mode}': embedded, mosquitto or distributed"),
    };

    protected static Dictionary<string, string> WithProductionDefaults(IReadOnlyDictionary<string, string> settings)
    {
        var all = new Dictionary<string, string>(ProductionDefaults);
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return all;
    }
}
