using System.Threading.Channels;
using ResticManager.Contracts;

namespace ResticManager.Notifications;

/// <summary>
/// Told by the engine, after its commit, that a host's projection changed or a job changed state; read by the
/// fleet stream publisher. In memory and lossy by design: the publisher also republishes every host periodically.
/// </summary>
public sealed class FleetSignal
{
    readonly Channel<FleetChange> changes = Channel.CreateBounded<FleetChange>(new BoundedChannelOptions(10_000)
    {
        FullMode = BoundedChannelFullMode.DropOldest,
        SingleReader = true,
    });

    public void HostChanged(string hostId) => changes.Writer.TryWrite(new FleetChange(hostId, null));

    public void JobChanged(JobStateChanged job) => changes.Writer.TryWrite(new FleetChange(job.HostId, job));

    public ChannelReader<FleetChange> Reader => changes.Reader;
}
