namespace ResticManager.FleetSimulator;

/// <summary>Live counters of the whole fleet, updated lock-free by every connection.</summary>
public sealed class FleetStats
{
    internal long Connected;
    internal long ConnectAttempts;
    internal long ConnectFailures;
    internal long Disconnects;
    internal long HeartbeatsSent;
    internal long EventsSent;
    internal long EventsResent;
    internal long EventsAcked;
    internal long EventsOutstanding;
    internal long EventsRefused;
    internal long ProgressSent;
    internal long CommandsReceived;
    internal long JobsStarted;
    internal long JobsFinished;
    internal long DuplicateCommands;

    public FleetCounters Snapshot() => new(
        Volatile.Read(ref Connected),
        Volatile.Read(ref ConnectAttempts),
        Volatile.Read(ref ConnectFailures),
        Volatile.Read(ref Disconnects),
        Volatile.Read(ref HeartbeatsSent),
        Volatile.Read(ref EventsSent),
        Volatile.Read(ref EventsResent),
        Volatile.Read(ref EventsAcked),
        Volatile.Read(ref EventsOutstanding),
        Volatile.Read(ref EventsRefused),
        Volatile.Read(ref ProgressSent),
        Volatile.Read(ref CommandsReceived),
        Volatile.Read(ref JobsStarted),
        Volatile.Read(ref JobsFinished),
        Volatile.Read(ref DuplicateCommands));

    public override string ToString()
    {
        var c = Snapshot();
        return $"connected {c.Connected}, attempts {c.ConnectAttempts}, failures {c.ConnectFailures}, disconnects {c.Disconnects}, "
            + $"heartbeats {c.HeartbeatsSent}, events {c.EventsSent} (+{c.EventsResent} resent, {c.EventsAcked} acked, {c.EventsOutstanding} outstanding, {c.EventsRefused} refused), "
            + $"progress {c.ProgressSent}, commands {c.CommandsReceived} ({c.DuplicateCommands} duplicate), jobs {c.JobsStarted} started / {c.JobsFinished} finished";
    }
}
