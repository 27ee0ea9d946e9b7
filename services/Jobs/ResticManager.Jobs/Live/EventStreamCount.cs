using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace ResticManager.Jobs;

/// <summary>
/// How many fleet event streams (<c>GET /api/events</c>) are open in this process: each browser should
/// hold one whatever its number of tabs, so a count that grows with tabs shows the sharing broke. Also
/// exported as the <c>resticmanager.event_streams.open</c> up-down counter of the jobs meter.
/// </summary>
public sealed class EventStreamCount
{
    public const string MeterName = "ResticManager.Jobs";

    readonly UpDownCounter<int> open;
    readonly ILogger<EventStreamCount> logger;
    int current;

    public EventStreamCount(IMeterFactory meters, ILogger<EventStreamCount> logger)
    {
        this.logger = logger;
        open = meters.Create(MeterName).CreateUpDownCounter<int>("resticmanager.event_streams.open", "{stream}", "Open Server-Sent Events streams of GET /api/events");
    }

    public int Current => Volatile.Read(ref current);

    /// <summary>Counts a stream as open until the returned handle is disposed.</summary>
    public IDisposable Open(string user)
    {
        var now = Interlocked.Increment(ref current);
        open.Add(1);
        logger.LogDebug("Event stream opened for {User}; {Count} open", user, now);
        return new Closer(this, user);
    }

    sealed class Closer(EventStreamCount count, string user) : IDisposable
    {
        int closed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref closed, 1) == 0)
            {
                var now = Interlocked.Decrement(ref count.current);
                count.open.Add(-1);
                count.logger.LogDebug("Event stream closed for {User}; {Count} open", user, now);
            }
        }
    }
}
