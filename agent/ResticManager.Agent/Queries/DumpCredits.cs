namespace ResticManager.Agent.Queries;

/// <summary>
/// The chunks a dump may still send: its window at the start, plus every credit the requester sends
/// as it consumes them. Capped, so a requester granting without end cannot make the agent run ahead.
/// </summary>
public sealed class DumpCredits(int window) : IDisposable
{
    /// <summary>The most chunks granted and not yet sent: 64 × 256 KiB in flight at most.</summary>
    public const int MaxOutstanding = 64;

    readonly SemaphoreSlim available = new(Math.Clamp(window, 1, MaxOutstanding), MaxOutstanding);
    int waiting;

    /// <summary>The dump waits for a credit, having none: nothing more is sent until one comes (tests observe it).</summary>
    internal bool Starved => Volatile.Read(ref waiting) > 0 && available.CurrentCount == 0;

    public void Grant(int chunks)
    {
        if (chunks <= 0)
        {
            return;
        }

        lock (available)
        {
            var room = MaxOutstanding - available.CurrentCount;
            if (room > 0)
            {
                available.Release(Math.Min(chunks, room));
            }
        }
    }

    /// <summary>Takes one credit; false when none came within <paramref name="idle"/>.</summary>
    public async Task<bool> TakeAsync(TimeSpan idle, CancellationToken ct)
    {
        Interlocked.Increment(ref waiting);
        try
        {
            return await available.WaitAsync(idle, ct);
        }
        finally
        {
            Interlocked.Decrement(ref waiting);
        }
    }

    public void Dispose() => available.Dispose();
}
