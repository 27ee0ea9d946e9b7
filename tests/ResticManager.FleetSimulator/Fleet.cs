using System.Diagnostics;
using ResticManager.FleetSimulator.Agents;
using ResticManager.FleetSimulator.Enrollment;

namespace ResticManager.FleetSimulator;

/// <summary>
/// N simulated agents that speak the real agent protocol over real MQTT 5 connections, built to cost as little CPU
/// and memory per agent as possible: no thread, timer or client library per agent, one receive loop per
/// connection, one scheduler for every heartbeat, job step and resend.
/// </summary>
public sealed class Fleet : IAsyncDisposable
{
    readonly FleetContext context;
    readonly SimulatedAgent[] agents;
    readonly Dictionary<string, SimulatedAgent> byId;
    readonly CancellationTokenSource ramp = new();
    int connecting;
    int stopped;

    Fleet(FleetContext context, IEnumerable<EnrolledAgent> enrolled)
    {
        this.context = context;
        agents = [.. enrolled.Select(e => new SimulatedAgent(context, e.AgentId, e.Hostname, e.Username, e.Password))];
        byId = agents.ToDictionary(a => a.AgentId, StringComparer.Ordinal);
    }

    /// <summary>Creates one-time enrollment tokens and enrolls <see cref="FleetOptions.Agents"/> agents over REST; nothing connects yet.</summary>
    public static async Task<Fleet> EnrollAsync(FleetOptions options, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Agents, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.HeartbeatInterval, TimeSpan.Zero);
        var enrolled = await FleetEnrollment.EnrollAsync(options, ct);
        var broker = await BrokerEndpoint.ResolveAsync(options.MqttUrl ?? enrolled[0].MqttUrl, ct);
        return new Fleet(new FleetContext(options, broker), enrolled);
    }

    public IReadOnlyList<SimulatedAgent> Agents => agents;

    public FleetStats Stats => context.Stats;

    /// <summary>
    /// Starts every agent, spread evenly over <see cref="FleetOptions.Ramp"/> (with at most
    /// <see cref="FleetOptions.ConnectConcurrency"/> handshakes in flight); returns when the last one has been
    /// started, not when it is connected (<see cref="FleetCounters.Connected"/> says that).
    /// </summary>
    public async Task ConnectAsync(CancellationToken ct)
    {
        if (Interlocked.Exchange(ref connecting, 1) != 0)
        {
            throw new InvalidOperationException("the fleet is already connecting");
        }

        context.Scheduler.Start();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, ramp.Token);
        var clock = Stopwatch.StartNew();
        var rampTicks = context.Options.Ramp.Ticks;
        for (var i = 0; i < agents.Length; i++)
        {
            var wait = TimeSpan.FromTicks(rampTicks * i / agents.Length) - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                try
                {
                    await Task.Delay(wait, linked.Token);
                }
                catch (OperationCanceledException) when (ramp.IsCancellationRequested)
                {
                    // Stopped before the ramp ended: the rest never start.
                    return;
                }
            }

            if (context.IsStopping)
            {
                return;
            }

            agents[i].Start();
        }
    }

    public bool TryGetCommandReceivedAt(string jobId, out DateTimeOffset at) => context.CommandReceivedAt.TryGetValue(jobId, out at);

    public bool TryGetFinishSentAt(string jobId, out DateTimeOffset at) => context.FinishSentAt.TryGetValue(jobId, out at);

    /// <summary>First send to the server's acknowledgement, per acknowledged QoS 1 event, in the order the acks arrived.</summary>
    public IReadOnlyList<TimeSpan> AckLatencies() => context.AckLatencies.ToArray();

    /// <summary>When the agent sent its recent heartbeats (the last 16), oldest first.</summary>
    public IReadOnlyList<DateTimeOffset> HeartbeatsSentAt(string agentId) =>
        byId.TryGetValue(agentId, out var agent) ? agent.HeartbeatsSentAt() : [];

    /// <summary>What the server refused or why it closed connections (PUBACK, CONNACK and DISCONNECT reason codes, timeouts), counted by kind.</summary>
    public IReadOnlyDictionary<string, long> Incidents() => new Dictionary<string, long>(context.Incidents, StringComparer.Ordinal);

    /// <summary>Bugs of the simulator itself (exceptions its scheduler caught); empty when all is well.</summary>
    public IReadOnlyList<string> Faults() => context.Faults.ToArray();

    /// <summary>
    /// A clean stop: waits (up to <see cref="FleetOptions.StopDrainTimeout"/>) until the server acknowledged every
    /// outstanding event, then every agent says offline (retained) and disconnects, as the agent does when it stops.
    /// </summary>
    public Task StopAsync(CancellationToken ct) => StopAsync(drain: true, ct);

    async Task StopAsync(bool drain, CancellationToken ct)
    {
        if (Interlocked.Exchange(ref stopped, 1) != 0)
        {
            return;
        }

        await ramp.CancelAsync();
        if (drain)
        {
            var deadline = Stopwatch.StartNew();
            try
            {
                while (Volatile.Read(ref context.Stats.EventsOutstanding) > 0 && deadline.Elapsed < context.Options.StopDrainTimeout)
                {
                    await Task.Delay(100, ct);
                }
            }
            catch (OperationCanceledException)
            {
            }
        }

        await context.BeginStopAsync();
        await Task.WhenAll(agents.Select(a => a.StopAsync()));
        await context.Scheduler.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(drain: false, CancellationToken.None);
        ramp.Dispose();
    }
}
