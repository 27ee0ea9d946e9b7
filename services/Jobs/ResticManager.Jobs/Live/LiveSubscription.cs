using System.Threading.Channels;

namespace ResticManager.Jobs;

/// <summary>One subscriber's bounded queue of live events; disposing it unsubscribes.</summary>
public sealed class LiveSubscription(ChannelReader<LiveEvent> reader, Action unsubscribe) : IDisposable
{
    public ChannelReader<LiveEvent> Reader => reader;

    public void Dispose() => unsubscribe();
}
