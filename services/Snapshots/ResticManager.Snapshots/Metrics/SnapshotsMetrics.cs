using System.Diagnostics.Metrics;
using ResticManager.ServiceDefaults;

namespace ResticManager.Snapshots;

/// <summary>
/// <c>resticmanager.repository.size{host_id}</c>: each host's repository size as its agent last reported it (restic
/// stats, raw data). Per host by design, one series per enrolled host: bounded by the fleet.
/// </summary>
public sealed class SnapshotsMetrics
{
    public const string MeterName = "ResticManager.Snapshots";

    readonly MeasurementCache<long> sizes = new();

    public SnapshotsMetrics(IMeterFactory meters) =>
        meters.Create(MeterName).CreateObservableGauge("resticmanager.repository.size", sizes.Read, "By", "Repository size per host, as last reported");

    public void SetSizes(IEnumerable<(string HostId, long Bytes)> sizes) =>
        this.sizes.Set(sizes.Select(s => new Measurement<long>(s.Bytes, MeasurementCache<long>.Label("host_id", s.HostId))));
}
