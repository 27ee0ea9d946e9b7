using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ResticManager.BuildingBlocks;

namespace ResticManager.ServiceDefaults;

/// <summary>
/// Reads a gauge's values from the service's database every <c>Metrics:RefreshInterval</c> (default 10 s) into a
/// <see cref="MeasurementCache{T}"/>. From the database rather than counted in memory, so the value is right after a
/// restart and the same on every replica (aggregate replicas with <c>max</c>, not <c>sum</c>).
/// </summary>
public abstract class GaugeRefresh(IServiceScopeFactory scopes, TimeProvider clock, IConfiguration configuration, ILogger logger)
    : PeriodicWork(scopes, clock, logger)
{
    public const string IntervalKey = "Metrics:RefreshInterval";

    protected override TimeSpan Interval => configuration.GetValue(IntervalKey, TimeSpan.FromSeconds(10)) is var interval && interval > TimeSpan.Zero
        ? interval : TimeSpan.FromSeconds(10);

    protected override bool RunsAtStart => true;
}
