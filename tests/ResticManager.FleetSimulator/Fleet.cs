namespace ResticManager.FleetSimulator;

/// <summary>
/// N simulated agents that speak the real agent protocol over real MQTT 5 connections, built to cost as little CPU
/// and memory per agent as possible: no thread, timer or client library per agent, one receive loop per
/// connection, one scheduler for every heartbeat, job step and resend.
/// </summary>
public sealed partial class Fleet : IAsyncDisposable
{
    public static Task<Fleet> EnrollAsync(FleetOptions options, CancellationToken ct) => throw new NotImplementedException();

    public Task ConnectAsync(CancellationToken ct) => throw new NotImplementedException();

    public IReadOnlyList<SimulatedAgent> Agents { get; } = [];

    public FleetStats Stats { get; } = new();

    public bool TryGetCommandReceivedAt(string jobId, out DateTimeOffset at) => throw new NotImplementedException();

    public bool TryGetFinishSentAt(string jobId, out DateTimeOffset at) => throw new NotImplementedException();

    public IReadOnlyList<TimeSpan> AckLatencies() => throw new NotImplementedException();

    public IReadOnlyList<DateTimeOffset> HeartbeatsSentAt(string agentId) => throw new NotImplementedException();

    public Task StopAsync(CancellationToken ct) => throw new NotImplementedException();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
