using System.Collections.Concurrent;
using System.Net;
using ResticManager.FleetSimulator.Scheduling;

namespace ResticManager.FleetSimulator.Agents;

/// <summary>What every agent of one fleet shares: settings, counters, the scheduler, the records the API reads.</summary>
internal sealed class FleetContext
{
    /// <summary>Bounds the handshake: a server taking longer than this to answer CONNECT … hello is a failed connect.</summary>
    public static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(20);

    /// <summary>How long a clean stop waits for the broker's PUBACK of the offline status, as the agent's goodbye does.</summary>
    public static readonly TimeSpan GoodbyeTimeout = TimeSpan.FromSeconds(5);

    /// <summary>As the agent's outbox: waiting events are tried this often, and sooner after a rate refusal.</summary>
    public static readonly TimeSpan OutboxRound = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan RateLimitPause = TimeSpan.FromSeconds(1);

    /// <summary>Commands are small; the only large server-to-agent packets would be query traffic, which agents here never ask for.</summary>
    public const int MaxIncomingPacket = 4 * 1024 * 1024;

    readonly CancellationTokenSource stopping = new();

    public FleetContext(FleetOptions options, EndPoint broker)
    {
        Options = options;
        Broker = broker;
        Scheduler = new FleetScheduler(Fault);
        ConnectGate = new SemaphoreSlim(Math.Max(1, options.ConnectConcurrency));
    }

    public FleetOptions Options { get; }

    public EndPoint Broker { get; }

    public FleetScheduler Scheduler { get; }

    public FleetStats Stats { get; } = new();

    public SemaphoreSlim ConnectGate { get; }

    public CancellationToken Stopping => stopping.Token;

    public bool IsStopping => stopping.IsCancellationRequested;

    public ConcurrentDictionary<string, DateTimeOffset> CommandReceivedAt { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, DateTimeOffset> FinishSentAt { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<TimeSpan> AckLatencies { get; } = new();

    /// <summary>The first few faults of the simulator itself (a bug here, not in the server), for the report.</summary>
    public ConcurrentQueue<string> Faults { get; } = new();

    /// <summary>What the server refused or why it closed connections, counted by kind (never with secrets).</summary>
    public ConcurrentDictionary<string, long> Incidents { get; } = new(StringComparer.Ordinal);

    public void Note(string incident) => Incidents.AddOrUpdate(incident, 1, static (_, count) => count + 1);

    public void Fault(Exception ex)
    {
        if (Faults.Count < 20)
        {
            Faults.Enqueue(ex.ToString());
        }
    }

    public Task BeginStopAsync() => stopping.CancelAsync();
}
