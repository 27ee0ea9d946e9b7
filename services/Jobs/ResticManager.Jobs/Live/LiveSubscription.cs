using System.Threading.Channels;

namespace ResticManager.Jobs;

/// <summary>One subscriber's bounded channel of live events; disposing it unsubscribes.</summary>
public sealed class LiveSubscription(Channel<LiveEvent> channel, Action unsubscribe) : IDisposable
{
    public ChannelReader<LiveEvent> Reader => channel.Reader;

    public void Dispose() => unsubscribe();
}
