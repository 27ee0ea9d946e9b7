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
/// ends its stream, and the browser reconnects with its last id and is replayed the rest from the ring.
/// Live-only events (progress) are the exception: a slow stream keeps only the latest of each job's
/// (<see cref="FleetStreamQueue"/>), so a burst of progress neither closes it nor queues up in it.</para>
/// <para>Publishing never waits for a subscriber: each event is one object shared by every stream.</para>
/// </summary>
public sealed class JobLiveFeed
{
    /// <summary>How many fleet events a reconnecting stream may have missed and still resume.</summary>
    public const int Kept = 5000;

    const int SubscriberCapacity = 2000;

    readonly ConcurrentDictionary<string, ConcurrentDictionary<ChannelWriter<LiveEvent>, byte>> byJob = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, ConcurrentDictionary<FleetStreamQueue, byte>> logsByJob = new(StringComparer.Ordinal);
    readonly HashSet<FleetStreamQueue> fleet = [];
    readonly LiveEvent?[] ring = new LiveEvent?[Kept];
    readonly Lock fleetLock = new();
    long seq;

    /// <summary>This process's epoch: the part of a fleet event id before the dash.</summary>
    public string Epoch { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    public LiveSubscription Subscribe(string jobId)
    {
        var channel = Channel.CreateBounded<LiveEvent>(new BoundedChannelOptions(SubscriberCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        return new LiveSubscription(channel.Reader, Register(byJob, jobId, channel.Writer));
    }

    /// <summary>
    /// Subscribes to every fleet event from now on, to the log lines of <paramref name="logJobIds"/>, and,
    /// when <paramref name="lastEventId"/> names a fleet event this process still keeps, returns the
    /// fleet events after it (all of them: the caller filters by scope).
    /// </summary>
    public FleetSubscription SubscribeFleet(string? lastEventId = null, IReadOnlyCollection<string>? logJobIds = null)
    {
        var queue = new FleetStreamQueue(SubscriberCapacity);
        var unregister = (logJobIds ?? []).Select(jobId => Register(logsByJob, jobId, queue)).ToList();
        List<LiveEvent>? missed;
        lock (fleetLock)
        {
            fleet.Add(queue);
            missed = MissedSince(lastEventId);
        }

        var live = new LiveSubscription(queue.Reader, () =>
        {
            lock (fleetLock)
            {
                fleet.Remove(queue);
            }

            unregister.ForEach(undo => undo());
        });
        return new FleetSubscription(live, missed is not null, missed ?? []);
    }

    /// <summary>An event for the streams of one job; its log lines also go to the fleet streams watching it.</summary>
    public void Publish(string jobId, LiveEvent liveEvent)
    {
        Write(byJob, jobId, liveEvent, static (writer, e) => writer.TryWrite(e));
        if (liveEvent is { Type: "log", Data: LogLineView line } && logsByJob.ContainsKey(jobId))
        {
            Write(logsByJob, jobId, new LiveEvent("log", null, JobLogEventView.From(jobId, line)), static (queue, e) => queue.Write(e));
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
    /// events the next one with the same <paramref name="key"/> replaces (a job's progress, at most one
    /// a second per running job), which would otherwise crowd the ring so a reconnect could resume from
    /// only a few seconds back. A stream that has not read the previous one of the key gets this instead.
    /// </summary>
    public void PublishFleetLiveOnly(string type, string hostId, string key, object data)
    {
        var liveEvent = new LiveEvent(type, null, data, HostId: hostId);
        lock (fleetLock)
        {
            foreach (var queue in fleet)
            {
                queue.WriteSuperseding(key, liveEvent);
            }
        }
    }

    /// <summary>The live-only events of <paramref name="key"/> are over (its job ended): what a slow stream has not read of them is dropped.</summary>
    public void EndLiveOnly(string key)
    {
        lock (fleetLock)
        {
            foreach (var queue in fleet)
            {
                queue.End(key);
            }
        }
    }

    void SendToFleet(LiveEvent liveEvent)
    {
        foreach (var queue in fleet)
        {
            queue.Write(liveEvent);
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

    /// <summary>Writes to a job's subscribers: a job stream's channel drops its oldest events when full, a fleet stream's queue closes.</summary>
    static void Write<TSubscriber>(ConcurrentDictionary<string, ConcurrentDictionary<TSubscriber, byte>> registry, string jobId, LiveEvent liveEvent, Action<TSubscriber, LiveEvent> write)
        where TSubscriber : notnull
    {
        if (registry.TryGetValue(jobId, out var subscribers))
        {
            foreach (var subscriber in subscribers.Keys)
            {
                write(subscriber, liveEvent);
            }
        }
    }

    static Action Register<TSubscriber>(ConcurrentDictionary<string, ConcurrentDictionary<TSubscriber, byte>> registry, string jobId, TSubscriber subscriber)
        where TSubscriber : notnull
    {
        var subscribers = registry.GetOrAdd(jobId, _ => new ConcurrentDictionary<TSubscriber, byte>());
        subscribers[subscriber] = 0;
        return () =>
        {
            subscribers.TryRemove(subscriber, out _);
            if (subscribers.IsEmpty)
            {
                registry.TryRemove(new KeyValuePair<string, ConcurrentDictionary<TSubscriber, byte>>(jobId, subscribers));
            }
        };
    }
}
