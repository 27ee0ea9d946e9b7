using System.Collections.Concurrent;
using System.Threading.Channels;

namespace ResticManager.Jobs;

/// <summary>
/// In-process fan-out of job events to Server-Sent Events subscribers: one bounded channel per
/// subscriber, so a slow browser drops its own oldest events (and catches up from the database on
/// reconnect with Last-Event-ID) instead of slowing anyone else.
/// </summary>
public sealed class JobLiveFeed
{
    readonly ConcurrentDictionary<string, ConcurrentDictionary<Channel<LiveEvent>, byte>> byJob = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<Channel<LiveEvent>, byte> fleet = new();

    public LiveSubscription Subscribe(string jobId)
    {
        var channel = NewChannel();
        var subscribers = byJob.GetOrAdd(jobId, _ => new ConcurrentDictionary<Channel<LiveEvent>, byte>());
        subscribers[channel] = 0;
        return new LiveSubscription(channel, () =>
        {
            subscribers.TryRemove(channel, out _);
            if (subscribers.IsEmpty)
            {
                byJob.TryRemove(new KeyValuePair<string, ConcurrentDictionary<Channel<LiveEvent>, byte>>(jobId, subscribers));
            }
        });
    }

    public LiveSubscription SubscribeFleet()
    {
        var channel = NewChannel();
        fleet[channel] = 0;
        return new LiveSubscription(channel, () => fleet.TryRemove(channel, out _));
    }

    public void Publish(string jobId, LiveEvent liveEvent)
    {
        if (byJob.TryGetValue(jobId, out var subscribers))
        {
            foreach (var channel in subscribers.Keys)
            {
                channel.Writer.TryWrite(liveEvent);
            }
        }
    }

    public void PublishFleet(LiveEvent liveEvent)
    {
        foreach (var channel in fleet.Keys)
        {
            channel.Writer.TryWrite(liveEvent);
        }
    }

    static Channel<LiveEvent> NewChannel() =>
        Channel.CreateBounded<LiveEvent>(new BoundedChannelOptions(2000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
}
