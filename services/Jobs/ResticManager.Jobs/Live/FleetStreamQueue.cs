using System.Threading.Channels;

namespace ResticManager.Jobs;

/// <summary>
/// One fleet stream's queue. Numbered events wait in order in a bounded channel; one that finds it
/// full closes it (the stream ends and the browser resumes from the ring). Live-only events that replace
/// each other wait in a <see cref="SupersededSlot"/> per key, whose token takes a place in the channel
/// only while the channel is at most half full: a slow stream loses superseded progress, never its
/// numbered events, and never holds up the publisher or the other streams.
/// </summary>
sealed class FleetStreamQueue
{
    readonly Channel<LiveEvent> channel;
    readonly Dictionary<string, SupersededSlot> slots = new(StringComparer.Ordinal);
    readonly int capacity;

    public FleetStreamQueue(int capacity)
    {
        this.capacity = capacity;
        // Full means slow: the writer closes the channel rather than waiting or dropping (see the class comment).
        channel = Channel.CreateBounded<LiveEvent>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
        Reader = new FleetStreamReader(channel.Reader);
    }

    public ChannelReader<LiveEvent> Reader { get; }

    /// <summary>Queues a numbered (or log) event, or closes the stream when it cannot keep up.</summary>
    public void Write(LiveEvent liveEvent)
    {
        if (!channel.Writer.TryWrite(liveEvent))
        {
            channel.Writer.TryComplete();
        }
    }

    /// <summary>Keeps <paramref name="liveEvent"/> as the latest of <paramref name="key"/>; callers hold the feed's fleet lock.</summary>
    public void WriteSuperseding(string key, LiveEvent liveEvent)
    {
        if (!slots.TryGetValue(key, out var slot))
        {
            slots[key] = slot = new SupersededSlot();
        }

        if (slot.Put(liveEvent) && (channel.Reader.Count >= capacity / 2 || !channel.Writer.TryWrite(slot.Token)))
        {
            slot.Withdraw(liveEvent);
        }
    }

    /// <summary>The run of <paramref name="key"/> is over (its job ended): what is still unread of it is dropped; callers hold the fleet lock.</summary>
    public void End(string key)
    {
        if (slots.Remove(key, out var slot))
        {
            slot.Take();
        }
    }
}
