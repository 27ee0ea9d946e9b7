using ResticManager.Contracts;

namespace ResticManager.Notifications;

/// <summary>What one engine transaction changed, told to the fleet stream once it committed.</summary>
public sealed class EngineChanges
{
    internal HashSet<string> Hosts { get; } = new(StringComparer.Ordinal);

    internal List<JobStateChanged> Jobs { get; } = [];

    public void HostChanged(string hostId) => Hosts.Add(hostId);

    public void JobChanged(JobStateChanged job) => Jobs.Add(job);

    internal void Clear()
    {
        Hosts.Clear();
        Jobs.Clear();
    }
}
