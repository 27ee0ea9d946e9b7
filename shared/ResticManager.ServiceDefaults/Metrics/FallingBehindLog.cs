using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ResticManager.ServiceDefaults;

/// <summary>
/// The one log line that says a process is falling behind: what, by how much, and the threshold it passed; at most
/// one per <see cref="Window"/> per kind, so an overloaded server (whose log matters most then) is not flooded by its
/// own warnings. Kinds are a bounded set (a fixed name, or one per bus message type).
/// </summary>
public sealed class FallingBehindLog(TimeProvider clock, ILogger<FallingBehindLog> logger)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    readonly ConcurrentDictionary<string, long> lastLoggedTicks = new(StringComparer.Ordinal);

    /// <summary>Logs unless <paramref name="kind"/> was logged within the window; true when it logged.</summary>
    /// <param name="kind">What is behind, as a key: one warning per window each.</param>
    /// <param name="what">What is behind, for the reader ("the bridge's backlog").</param>
    /// <param name="amount">By how much, with its unit ("1,234 messages").</param>
    /// <param name="threshold">The threshold passed, with its configuration key.</param>
    public bool Report(string kind, string what, string amount, string threshold)
    {
        var now = clock.GetUtcNow().UtcTicks;
        while (true)
        {
            if (!lastLoggedTicks.TryGetValue(kind, out var last))
            {
                if (!lastLoggedTicks.TryAdd(kind, now))
                {
                    continue;
                }
            }
            else if (now - last < Window.Ticks || !lastLoggedTicks.TryUpdate(kind, now, last))
            {
                // Within the window, or another thread logged this kind just now.
                return false;
            }

            logger.LogWarning("Falling behind: {What} is {Amount}, over the threshold of {Threshold}", what, amount, threshold);
            return true;
        }
    }
}
