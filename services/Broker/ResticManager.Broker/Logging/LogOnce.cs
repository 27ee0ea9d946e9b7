using System.Collections.Concurrent;

namespace ResticManager.Broker;

/// <summary>
/// Rate limits repeated warnings by key: a misbehaving agent that sends the same bad message in a
/// loop produces one log line per window, not a flood that hides everything else.
/// </summary>
public sealed class LogOnce(TimeProvider clock, TimeSpan window)
{
    readonly ConcurrentDictionary<string, DateTimeOffset> lastLogged = new(StringComparer.Ordinal);

    public bool ShouldLog(string key)
    {
        var now = clock.GetUtcNow();
        if (lastLogged.Count > 10_000)
        {
            lastLogged.Clear();
        }

        var logged = false;
        lastLogged.AddOrUpdate(key, _ => { logged = true; return now; }, (_, last) =>
        {
            if (now - last < window)
            {
                return last;
            }

            logged = true;
            return now;
        });
        return logged;
    }
}
