using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Threading.Channels;

namespace ResticManager.Jobs;

/// <summary>
/// In-process fan-out of live events to Server-Sent Events subscribers, one bounded channel each.
/// <para>A job's own stream drops its oldest events when its browser is slow (it catches up on log lines
/// from the database on reconnect with <c>Last-Event-ID</c>).</para>
/// <para>Fleet events (but live-only ones, see <see cref="PublishFleetLiveOnly"/>) are numbered
/// <c>epoch-seq</c> and the last <see cref="Kept"/> are kept in a ring,
/// so a fleet stream that reconnects with the id of the last event it saw gets what it missed. The epoch
/// is random per process start: an id of an earlier process (or another replica) is not resumed. A fleet
/// subscriber too slow to keep up is not silently thinned out: its channel is closed when full, which
/// ends its stream, and the browser reconnects with its last id and is replayed the rest from the ring.</para>
/// </summary>
public sealed class JobLiveFeed
{
    /// <summary>How many fleet events a reconnecting stream may have missed and still resume.</summary>
    public const int Kept = 5000;

    const int SubscriberCapacity = 2000;

    readonly ConcurrentDictionary<string, ConcurrentDictionary<Channel<LiveEvent>, byte>> byJob = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, ConcurrentDictionary<Channel<LiveEvent>, byte>> logsByJob = new(StringComparer.Ordinal);
    readonly HashSet<Channel<LiveEvent>> fleet = [];
    readonly LiveEvent?[] ring = new LiveEvent?[Kept];
    readonly Lock fleetLock = new();
    long seq;

    /// <summary>This process's epoch: the part of a fleet event id before the dash.</summary>
    public string Epoch { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    public LiveSubscription Subscribe(string jobId)
    {
        var channel = Channel.CreateBounded<LiveEvent>(new BoundedChannelOptions(SubscriberCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        return new LiveSubscription(channel, Register(byJob, jobId, channel));
    }

    /// <summary>
    /// Subscribes to every fleet event from now on, to the log lines of <paramref name="logJobIds"/>, and,
    /// when <paramref name="lastEventId"/> names a fleet event this process still keeps, returns the
    /// fleet events after it (all of them: the caller filters by scope).
    /// </summary>
    public FleetSubscription SubscribeFleet(string? lastEventId = null, IReadOnlyCollection<string>? logJobIds = null)
    {
        // Full means slow: the writer closes the channel rather than waiting or dropping (see the class comment).
        var channel = Channel.CreateBounded<LiveEvent>(new BoundedChannelOptions(SubscriberCapacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
        var unregister = (logJobIds ?? []).Select(jobId => Register(logsByJob, jobId, channel)).ToList();
        List<LiveEvent>? missed;
        lock (fleetLock)
        {
            fleet.Add(channel);
            missed = MissedSince(lastEventId);
        }

        var live = new LiveSubscription(channel, () =>
        {
            lock (fleetLock)
            {
                fleet.Remove(channel);
            }

            unregister.ForEach(undo => undo());
        });
        return new FleetSubscription(live, missed is not null, missed ?? []);
    }

    /// <summary>An event for the streams of one job; its log lines also go to the fleet streams watching it.</summary>
    public void Publish(string jobId, LiveEvent liveEvent)
    {
        Write(byJob, jobId, liveEvent);
        if (liveEvent is { Type: "log", Data: LogLineView line })
        {
            Write(logsByJob, jobId, new LiveEvent("log", null, JobLogEventView.From(jobId, line)));
        }
    }

    /// <summary>Numbers a fleet event, keeps it for resuming streams and sends it to every fleet stream.</summary>
    public void PublishFleet(string type, string hostId, object data)
    {
        lock (fleetLock)
        {
            var next = ++seq;
            var liveEvent = new LiveEvent(type, string.Create(CultureInfo.InvariantCulture, $"{Epoch}-{next}"), data, HostId: hostId);
            ring[next % Kept] = liveEvent;
            SendToFleet(liveEvent);
        }
    }

    /// <summary>
    /// Sends a fleet event to the fleet streams open now, without an id and without keeping it: for
    /// events the next one replaces (progress, at most one a second per running job), which would
    /// otherwise crowd the ring so a reconnect could resume from only a few seconds back.
    /// </summary>
    public void PublishFleetLiveOnly(string type, string hostId, object data)
    {
        lock (fleetLock)
        {
            SendToFleet(new LiveEvent(type, null, data, HostId: hostId));
        }
    }

    void SendToFleet(LiveEvent liveEvent)
    {
        foreach (var channel in fleet)
        {
            WriteOrClose(channel, liveEvent);
        }
    }

    /// <summary>The kept fleet events after <paramref name="lastEventId"/>, or null when it cannot be resumed from.</summary>
    List<LiveEvent>? MissedSince(string? lastEventId)
    {
        var dash = lastEventId?.LastIndexOf('-') ?? -1;
        if (dash <= 0 || lastEventId![..dash] != Epoch
            || !long.TryParse(lastEventId.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var last)
            || last > seq || last < seq - Kept)
        {
            return null;
        }

        var missed = new List<LiveEvent>((int)(seq - last));
        for (var n = last + 1; n <= seq; n++)
        {
            missed.Add(ring[n % Kept]!);
        }

        return missed;
    }

    static void Write(ConcurrentDictionary<string, ConcurrentDictionary<Channel<LiveEvent>, byte>> registry, string jobId, LiveEvent liveEvent)
    {
        if (registry.TryGetValue(jobId, out var subscribers))
        {
            foreach (var channel in subscribers.Keys)
            {
                WriteOrClose(channel, liveEvent);
            }
        }
    }

    /// <summary>A job stream's channel drops its oldest instead, so only a fleet stream's can be closed here.</summary>
    static void WriteOrClose(Channel<LiveEvent> channel, LiveEvent liveEvent)
    {
        if (!channel.Writer.TryWrite(liveEvent))
        {
            channel.Writer.TryComplete();
        }
    }

    static Action Register(ConcurrentDictionary<string, ConcurrentDictionary<Channel<LiveEvent>, byte>> registry, string jobId, Channel<LiveEvent> channel)
    {
        var subscribers = registry.GetOrAdd(jobId, _ => new ConcurrentDictionary<Channel<LiveEvent>, byte>());
        subscribers[channel] = 0;
        return () =>
        {
            subscribers.TryRemove(channel, out _);
            if (subscribers.IsEmpty)
            {
                registry.TryRemove(new KeyValuePair<string, ConcurrentDictionary<Channel<LiveEvent>, byte>>(jobId, subscribers));
            }
        };
    }
}
