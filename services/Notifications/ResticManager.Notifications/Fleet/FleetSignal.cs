using System.Threading.Channels;
using ResticManager.Contracts;

namespace ResticManager.Notifications;

/// <summary>
/// Told by the engine, after its commit, that a host's projection changed or a job changed state; read by the
/// fleet stream publisher. In memory and lossy by design: the publisher also republishes every host periodically.
/// Without a publisher (the stream off, or nobody able to read it) nothing is queued: a queue nobody drains
/// would only hold up to its bound of changes for ever.
/// </summary>
public sealed class FleetSignal
{
    readonly Channel<FleetChange> changes = Channel.CreateBounded<FleetChange>(new BoundedChannelOptions(10_000)
    {
        FullMode = BoundedChannelFullMode.DropOldest,
        SingleReader = true,
    });

    readonly bool listened;

    public FleetSignal()
        : this(listened: true)
    {
    }

    /// <param name="listened">False when no publisher reads the changes: telling them then does nothing.</param>
    public FleetSignal(bool listened) => this.listened = listened;

    public void HostChanged(string hostId)
    {
        if (listened)
        {
            changes.Writer.TryWrite(new FleetChange(hostId, null));
        }
    }

    public void JobChanged(JobStateChanged job)
    {
        if (listened)
        {
            changes.Writer.TryWrite(new FleetChange(job.HostId, job));
        }
    }

    public ChannelReader<FleetChange> Reader => changes.Reader;
}
