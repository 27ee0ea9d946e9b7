using System.Diagnostics.Metrics;
using ResticManager.ServiceDefaults;

namespace ResticManager.Schedules;

/// <summary><c>resticmanager.groups.overdue</c>: source groups whose last successful backup is older than their schedule allows.</summary>
public sealed class SchedulesMetrics
{
    public const string MeterName = "ResticManager.Schedules";

    readonly MeasurementCache<long> overdue = new();

    public SchedulesMetrics(IMeterFactory meters) =>
        meters.Create(MeterName).CreateObservableGauge("resticmanager.groups.overdue", overdue.Read, "{group}", "Source groups overdue for a backup");

    public void SetOverdue(int groups) => overdue.Set([new Measurement<long>(groups)]);
}
