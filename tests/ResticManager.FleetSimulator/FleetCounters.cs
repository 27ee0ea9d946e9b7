namespace ResticManager.FleetSimulator;

/// <summary>A consistent-enough snapshot of <see cref="FleetStats"/> (each counter read once, atomically).</summary>
public sealed record FleetCounters(
    long Connected,
    long ConnectAttempts,
    long ConnectFailures,
    long Disconnects,
    long HeartbeatsSent,
    long EventsSent,
    long EventsResent,
    long EventsAcked,
    long EventsOutstanding,
    long EventsRefused,
    long ProgressSent,
    long CommandsReceived,
    long JobsStarted,
    long JobsFinished,
    long DuplicateCommands);
