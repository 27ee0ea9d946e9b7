using System.Diagnostics.Metrics;
using ResticManager.ServiceDefaults;

namespace ResticManager.Inventory;

/// <summary><c>resticmanager.hosts{status}</c>: enrolled hosts by status (revoked ones not counted), every status reported, also at 0.</summary>
public sealed class InventoryMetrics
{
    public const string MeterName = "ResticManager.Inventory";

    readonly MeasurementCache<long> hosts = new();

    public InventoryMetrics(IMeterFactory meters) =>
        meters.Create(MeterName).CreateObservableGauge("resticmanager.hosts", hosts.Read, "{host}", "Enrolled hosts by status (revoked ones not counted)");

    public void SetHosts(IReadOnlyDictionary<HostStatus, int> counts) =>
        hosts.Set(Enum.GetValues<HostStatus>().Where(s => s != HostStatus.Revoked)
            .Select(s => new Measurement<long>(counts.GetValueOrDefault(s), MeasurementCache<long>.Label("status", s.ToString().ToLowerInvariant()))));
}
