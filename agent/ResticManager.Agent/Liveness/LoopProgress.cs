using System.Collections.Concurrent;

namespace ResticManager.Agent.Liveness;

/// <summary>
/// Whether the agent's main loops are getting on. Each loop says, before it waits, by when it will be back
/// (<see cref="Expect"/>); a loop past that, plus <see cref="Slack"/>, is stuck. A loop that waits a long
/// time on purpose (a reconnect back-off, the next heartbeat) says so, so waiting is never mistaken for hanging.
/// Deadlines are on the monotonic clock: the wall clock can step (NTP setting a Pi's clock at boot, a VM
/// resumed), which would make every deadline overdue at once or hide a stuck loop for as long as the step.
/// </summary>
public sealed class LoopProgress(TimeProvider time)
{
    /// <summary>How much later than it said a loop may come back (a slow disk, a busy small host) before it counts as stuck.</summary>
    public static readonly TimeSpan Slack = TimeSpan.FromMinutes(2);

    readonly ConcurrentDictionary<string, long> deadlines = new(StringComparer.Ordinal);

    /// <summary>The loop <paramref name="loop"/> will show progress again within <paramref name="within"/>.</summary>
    public void Expect(string loop, TimeSpan within) =>
        deadlines[loop] = time.GetTimestamp() + (long)((within + Slack).TotalSeconds * time.TimestampFrequency);

    /// <summary>The loop ended (the agent is stopping): it is no longer waited for.</summary>
    public void Ended(string loop) => deadlines.TryRemove(loop, out _);

    /// <summary>The first loop past its deadline, with how long past; null while every loop keeps its word.</summary>
    public (string Loop, TimeSpan Late)? Overdue()
    {
        var now = time.GetTimestamp();
        foreach (var (loop, deadline) in deadlines)
        {
            if (now > deadline)
            {
                return (loop, time.GetElapsedTime(deadline, now));
            }
        }

        return null;
    }
}
