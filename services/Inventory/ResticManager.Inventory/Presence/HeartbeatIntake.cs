namespace ResticManager.Inventory;

/// <summary>
/// How far heartbeat intake has got, for the stale sweep (ADR 0015): a host may be marked stale only for a
/// deadline that passed before every heartbeat received until then was applied, so a server that is behind
/// never shows a host stale whose heartbeats are waiting in its own queue.
/// <para>
/// Heartbeats are applied in batches, taken from the queue oldest first. While a batch is being applied or
/// collected, everything received before the oldest heartbeat of the running batch (or of the batch applied
/// last) is applied; anything received later may still wait. So the cutoff is that oldest receive time. When no
/// batch ran for <see cref="Quiet"/> (several batch time limits: a waiting heartbeat would have started one),
/// nothing waits and the cutoff is now: an idle fleet's hung agents still go stale on time. A queue the
/// consumer cannot read at all (the bus down) is the sweeper's to check, not visible here.
/// </para>
/// </summary>
public sealed class HeartbeatIntake(TimeProvider clock)
{
    /// <summary>Longer than a batch may wait to fill (<see cref="AgentHeartbeatReceivedConsumerDefinition.TimeLimit"/>), with margin for a busy machine.</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromSeconds(2);

    readonly Lock gate = new();
    readonly List<DateTimeOffset> running = [];
    DateTimeOffset lastFinishedAt = clock.GetUtcNow();
    DateTimeOffset? appliedThrough;
    TimeSpan lag;

    /// <summary>The delay of the oldest heartbeat of the last applied batch, between its receipt and its commit.</summary>
    public TimeSpan Lag
    {
        get
        {
            lock (gate)
            {
                return lag;
            }
        }
    }

    /// <summary>A batch whose oldest heartbeat was received at <paramref name="oldestReceivedAt"/> starts; dispose the result when it is committed or has failed.</summary>
    public Batch Start(DateTimeOffset oldestReceivedAt)
    {
        lock (gate)
        {
            running.Add(oldestReceivedAt);
        }

        return new Batch(this, oldestReceivedAt);
    }

    /// <summary>Deadlines before this may be acted on: every heartbeat received before it has been applied.</summary>
    public DateTimeOffset StaleCutoff()
    {
        var now = clock.GetUtcNow();
        lock (gate)
        {
            if (running.Count == 0 && now - lastFinishedAt >= Quiet)
            {
                return now;
            }

            // The queue is read oldest first: a running batch holds the oldest heartbeats not yet applied (a retried one
            // too); between batches, those the next one holds were received after the last applied batch's oldest.
            var cutoff = running.Count > 0 ? running.Min() : appliedThrough ?? DateTimeOffset.MinValue;
            return cutoff < now ? cutoff : now;
        }
    }

    void Finish(DateTimeOffset oldestReceivedAt, bool committed)
    {
        var now = clock.GetUtcNow();
        lock (gate)
        {
            running.Remove(oldestReceivedAt);
            lastFinishedAt = now;
            if (committed)
            {
                appliedThrough = appliedThrough is { } known && known > oldestReceivedAt ? known : oldestReceivedAt;
                lag = now - oldestReceivedAt;
            }
        }
    }

    /// <summary>A batch being applied: <see cref="Commit"/> it once its transaction committed; disposing without marks it failed.</summary>
    public sealed class Batch(HeartbeatIntake intake, DateTimeOffset oldestReceivedAt) : IDisposable
    {
        bool finished;

        public void Commit()
        {
            if (!finished)
            {
                finished = true;
                intake.Finish(oldestReceivedAt, committed: true);
            }
        }

        public void Dispose()
        {
            if (!finished)
            {
                finished = true;
                intake.Finish(oldestReceivedAt, committed: false);
            }
        }
    }
}
